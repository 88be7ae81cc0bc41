package io.reportpipes.jobs;

import org.apache.camel.spi.PropertiesComponent;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How a page is written to the sink, declared in {@code application.properties} as {@code transform.<name>.*}:
 * <pre>
 * transform.contacts-json.format = jsonl                    (csv | jsonl | json-records)
 * transform.contacts-json.batch-size = 500                  (json-records: records per message)
 * transform.contacts-json.columns = Id, FirstName, Email    (keep these, in this order; default all)
 * transform.contacts-json.rename.FirstName = first_name
 * transform.contacts-json.dates = CreatedDate, UpdatedDate  (to ISO-8601)
 * transform.contacts-json.date-pattern = MM/dd/yyyy HH:mm:ss
 * transform.contacts-json.run-columns = true                (adds _vendor, _organisation, _kind, _run)
 * </pre>
 * A transform with format csv and nothing else is a pass-through: the vendor's bytes, untouched.
 */
public record Transform(String name, String format, List<String> columns, Map<String, String> renames,
                        List<String> dates, DateTimeFormatter datePattern, boolean runColumns, int batchSize) {

    public static final Set<String> FORMATS = Set.of("csv", "jsonl", "json-records");
    private static final Set<String> KEYS = Set.of("format", "columns", "dates", "date-pattern", "run-columns",
            "batch-size");

    /** A Crewmojo JSON report, delivered as the vendor's JSON array, byte for byte. */
    public static final Transform VENDOR_JSON = new Transform("vendor-json", "json", List.of(), Map.of(), List.of(),
            null, false, 1);

    public boolean passThrough() {
        return this == VENDOR_JSON || "csv".equals(format) && columns.isEmpty() && renames.isEmpty() && dates.isEmpty() && !runColumns;
    }

    /** JSON records, one per line on disk, delivered as messages of {@link #batchSize} records. */
    public boolean records() {
        return "json-records".equals(format);
    }

    public String extension() {
        return records() ? "json" : format;
    }

    public String contentType() {
        return switch (format) {
            case "jsonl" -> "application/x-ndjson";
            case "json-records", "json" -> "application/json";
            default -> "text/csv; charset=utf-8";
        };
    }

    /** Reads {@code transform.<name>.*}; adds what is wrong to {@code problems} and returns null then. */
    public static Transform load(PropertiesComponent pc, String name, List<String> problems) {
        String base = "transform." + name + ".";
        Properties raw = pc.loadProperties(key -> key.startsWith(base));
        String at = "transform '" + name + "': ";
        if (raw.isEmpty()) {
            problems.add(at + "not defined: set " + base + "format (one of " + String.join(", ", FORMATS) + ")");
            return null;
        }
        int before = problems.size();
        for (String key : raw.stringPropertyNames()) {
            String rest = key.substring(base.length());
            if (!KEYS.contains(rest) && !rest.startsWith("rename.")) {
                problems.add(at + key + " is not a transform setting (" + String.join(", ", KEYS) + ", rename.<column>)");
            }
        }
        String format = value(pc, base + "format", "csv");
        if (!FORMATS.contains(format)) {
            problems.add(at + "format '" + format + "' is not one of " + String.join(", ", FORMATS));
        }
        Map<String, String> renames = new LinkedHashMap<>();
        raw.stringPropertyNames().stream().filter(k -> k.startsWith(base + "rename.")).sorted()
                .forEach(k -> renames.put(k.substring((base + "rename.").length()), value(pc, k, "")));
        DateTimeFormatter pattern = null;
        try {
            pattern = DateTimeFormatter.ofPattern(value(pc, base + "date-pattern", "MM/dd/yyyy HH:mm:ss"));
        } catch (IllegalArgumentException e) {
            problems.add(at + "date-pattern is not a date pattern: " + e.getMessage());
        }
        int batchSize = 0;
        try {
            batchSize = Integer.parseInt(value(pc, base + "batch-size", "1"));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (batchSize < 1) {
            problems.add(at + "batch-size must be a whole number of records, at least 1");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Transform(name, format, JobSettings.list(value(pc, base + "columns", "")), Map.copyOf(renames),
                JobSettings.list(value(pc, base + "dates", "")), pattern, Boolean.parseBoolean(value(pc, base + "run-columns", "false")),
                batchSize);
    }

    private static String value(PropertiesComponent pc, String key, String absent) {
        return pc.resolveProperty(key).map(String::trim).orElse(absent);
    }

}
