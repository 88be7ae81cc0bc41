package io.reportpipes.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.PermanentJobException;
import org.apache.camel.ExchangeProperty;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a checked page (on disk) as its job's {@link Transform} says: JSON Lines (also the on-disk
 * form of json-records, which {@link RecordBatches} cuts into messages) or CSV, with columns
 * selected, renamed, dates in ISO-8601 and run columns added. Streams row by row with Commons CSV and
 * Jackson; the page is never whole in the heap. A pass-through transform leaves the page untouched.
 */
public final class PageTransformer {

    private static final CSVFormat CSV = CSVFormat.RFC4180;
    private final JsonFactory json = new JsonFactory();

    public void transform(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        Transform transform = run.getTransform();
        if (transform.passThrough()) {
            return;
        }
        Path source = run.getPageFile();
        Path target = source.resolveSibling(source.getFileName() + "." + transform.extension());
        boolean done = false;
        try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSV).get();
             Writer writer = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8), 1 << 16)) {
            var records = parser.iterator();
            Plan plan = new Plan(transform, records.next().toList(), run);
            if (!"csv".equals(transform.format())) {
                writeJsonLines(records, plan, writer);
            } else {
                writeCsv(records, plan, writer);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(target);
            }
        }
        Files.delete(source);
        run.pageSpooled(target, run.getPageRows(), Files.size(target));
    }

    private void writeJsonLines(java.util.Iterator<CSVRecord> records, Plan plan, Writer writer) throws IOException {
        try (JsonGenerator out = json.createGenerator(writer)) {
            out.setRootValueSeparator(new SerializedString("\n"));
            String[] values = new String[plan.names.size()];
            while (records.hasNext()) {
                plan.values(records.next(), values);
                out.writeStartObject();
                for (int i = 0; i < values.length; i++) {
                    out.writeStringField(plan.names.get(i), values[i]);
                }
                out.writeEndObject();
            }
            if (plan.rows > 0) {
                out.writeRaw('\n');
            }
        }
    }

    private static void writeCsv(java.util.Iterator<CSVRecord> records, Plan plan, Writer writer) throws IOException {
        CSVPrinter out = new CSVPrinter(writer, CSV);
        out.printRecord(plan.names);
        String[] values = new String[plan.names.size()];
        while (records.hasNext()) {
            plan.values(records.next(), values);
            out.printRecord((Object[]) values);
        }
        out.flush();
    }

    /** Which source column feeds each output column, and how. */
    private static final class Plan {
        final List<String> names = new ArrayList<>();
        final int[] sources;
        final boolean[] isDate;
        final String[] constants;
        final DateTimeFormatter pattern;
        final String where;
        long rows;

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

        void values(CSVRecord record, String[] values) {
            rows++;
            for (int i = 0; i < values.length; i++) {
                String value = sources[i] < 0 ? constants[i] : record.get(sources[i]);
                values[i] = isDate[i] && !value.isEmpty() ? iso(value, names.get(i), record.getRecordNumber()) : value;
            }
        }

        private String iso(String value, String column, long line) {
            try {
                TemporalAccessor parsed = pattern.parseBest(value, LocalDateTime::from, LocalDate::from);
                return parsed instanceof LocalDateTime time ? DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time)
                        : DateTimeFormatter.ISO_LOCAL_DATE.format(parsed);
            } catch (DateTimeParseException e) {
                throw new PermanentJobException(where + ": record " + line + " column " + column + " value '" + value
                        + "' does not match the transform's date-pattern");
            }
        }
    }
}
