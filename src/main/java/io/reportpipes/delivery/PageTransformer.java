package io.reportpipes.delivery;

import io.reportpipes.jobs.Transform;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.PermanentJobException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a page's records as its job's {@link Transform} says while {@link PageSpooler} reads and checks them,
 * so a page is read once: JSON Lines (also the on-disk form of json-records, which {@link RecordBatches}
 * cuts into messages) or CSV, with columns selected, renamed, dates in ISO-8601 and run columns added. A
 * field goes from the page's bytes to the output's without becoming a String (dates aside); the page is
 * never whole in the heap. A pass-through transform is not written here: the page is spooled as it came.
 */
final class PageTransformer {

    private final Plan plan;
    private final ByteOutput out;
    private final boolean json;
    /** Per output column: what goes before its value (JSON: the name) and a constant value, or null. */
    private final byte[][] prefixes;
    private final byte[][] constants;

    /** Starts the output: checks the transform's columns against the header, writes a CSV's header line. */
    PageTransformer(JobRun run, List<String> header, ByteOutput out) throws IOException {
        Transform transform = run.getTransform();
        this.plan = new Plan(transform, header, run);
        this.out = out;
        this.json = !"csv".equals(transform.format());
        this.prefixes = new byte[plan.size()][];
        this.constants = new byte[plan.size()][];
        for (int i = 0; i < plan.size(); i++) {
            prefixes[i] = utf8(json ? (i == 0 ? "{" : ",") + json(plan.names.get(i)) + ":" : i == 0 ? "" : ",");
            constants[i] = plan.constants[i] == null ? null : utf8(encode(plan.constants[i]));
        }
        if (!json) {
            CsvLine line = new CsvLine();
            plan.names.forEach(line::field);
            out.write(utf8(line.end()));
        }
    }

    /** Writes the record just read. */
    void write(CsvRecords records) throws IOException {
        for (int i = 0; i < prefixes.length; i++) {
            out.write(prefixes[i]);
            if (constants[i] != null) {
                out.write(constants[i]);
            } else if (plan.isDate[i] && !records.isEmpty(plan.sources[i])) {
                out.write(utf8(encode(plan.iso(records, i))));
            } else if (json) {
                records.writeJson(plan.sources[i], out);
            } else {
                records.writeCsv(plan.sources[i], i == 0, out);
            }
        }
        if (json) {
            out.write('}');
            out.write('\n');
        } else {
            out.write('\r');
            out.write('\n');
        }
    }

    private String encode(String value) {
        return json ? json(value) : new CsvLine().field(value).text();
    }

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static byte[] utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Which source column feeds each output column, and how. */
    private static final class Plan {
        final List<String> names = new ArrayList<>();
        final int[] sources;
        final boolean[] isDate;
        final String[] constants;
        final DateTimeFormatter pattern;
        final String where;

        Plan(Transform transform, List<String> header, JobRun run) {
            this.where = "transform '" + transform.name() + "' of " + run.getJobId() + " page " + run.getPage();
            List<String> selected = transform.columns().isEmpty() ? header : transform.columns();
            for (String column : selected) {
                if (!header.contains(column)) {
                    throw new PermanentJobException(where + ": column '" + column + "' is not in the page (columns: "
                            + String.join(",", header) + ")");
                }
            }
            List<String> extra = transform.runColumns() ? List.of("_vendor", "_organisation", "_kind", "_run") : List.of();
            List<String> extraValues = List.of(run.getVendor(), run.getAccount(), run.getReport(), run.getRunId());
            int size = selected.size() + extra.size();
            sources = new int[size];
            isDate = new boolean[size];
            constants = new String[size];
            pattern = transform.datePattern();
            for (int i = 0; i < selected.size(); i++) {
                String column = selected.get(i);
                names.add(transform.renames().getOrDefault(column, column));
                sources[i] = header.indexOf(column);
                isDate[i] = transform.dates().contains(column);
            }
            for (int i = 0; i < extra.size(); i++) {
                names.add(extra.get(i));
                sources[selected.size() + i] = -1;
                constants[selected.size() + i] = extraValues.get(i);
            }
        }

        int size() {
            return sources.length;
        }

        /** Output column i's date, from the pattern to ISO-8601. */
        String iso(CsvRecords records, int i) {
            String value = records.string(sources[i]);
            try {
                TemporalAccessor parsed = pattern.parseBest(value, LocalDateTime::from, LocalDate::from);
                return parsed instanceof LocalDateTime time ? DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time)
                        : DateTimeFormatter.ISO_LOCAL_DATE.format(parsed);
            } catch (DateTimeParseException e) {
                throw new PermanentJobException(where + ": record " + records.number() + " column " + names.get(i)
                        + " value '" + value + "' does not match the transform's date-pattern");
            }
        }
    }
}
