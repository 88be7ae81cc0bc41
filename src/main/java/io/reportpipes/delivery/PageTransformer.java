package io.reportpipes.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.PermanentJobException;
import org.apache.camel.ExchangeProperty;

import java.io.IOException;
import java.io.InputStream;
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
 * selected, renamed, dates in ISO-8601 and run columns added. Streams row by row with {@link CsvRecords}, a
 * field going from the page's bytes to the output's without becoming a String (dates aside); the page is
 * never whole in the heap. A pass-through transform leaves the page untouched.
 */
public final class PageTransformer {

    public void transform(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        Transform transform = run.getTransform();
        if (transform.passThrough()) {
            return;
        }
        Path source = run.getPageFile();
        Path target = source.resolveSibling(source.getFileName() + "." + transform.extension());
        boolean done = false;
        try (InputStream in = Files.newInputStream(source);
             ByteOutput out = new ByteOutput(Files.newOutputStream(target))) {
            CsvRecords records = new CsvRecords(in);
            records.next();
            List<String> header = records.strings();
            Plan plan = new Plan(transform, header, run);
            if (!"csv".equals(transform.format())) {
                writeJsonLines(records, plan, out);
            } else {
                writeCsv(records, plan, out);
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

    private static void writeJsonLines(CsvRecords records, Plan plan, ByteOutput out) throws IOException {
        byte[][] names = new byte[plan.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = utf8((i == 0 ? "{" : ",") + json(plan.names.get(i)) + ":");
        }
        byte[][] constants = new byte[plan.size()][];
        for (int i = 0; i < names.length; i++) {
            constants[i] = plan.constants[i] == null ? null : utf8(json(plan.constants[i]));
        }
        while (records.next()) {
            for (int i = 0; i < names.length; i++) {
                out.write(names[i]);
                if (constants[i] != null) {
                    out.write(constants[i]);
                } else if (plan.isDate[i] && !records.isEmpty(plan.sources[i])) {
                    out.write(utf8(json(plan.iso(records, i))));
                } else {
                    records.writeJson(plan.sources[i], out);
                }
            }
            out.write('}');
            out.write('\n');
        }
    }

    private static void writeCsv(CsvRecords records, Plan plan, ByteOutput out) throws IOException {
        CsvLine header = new CsvLine();
        plan.names.forEach(header::field);
        out.write(utf8(header.end()));
        byte[][] constants = new byte[plan.size()][];
        for (int i = 0; i < constants.length; i++) {
            constants[i] = plan.constants[i] == null ? null : utf8(new CsvLine().field(plan.constants[i]).text());
        }
        while (records.next()) {
            for (int i = 0; i < constants.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                if (constants[i] != null) {
                    out.write(constants[i]);
                } else if (plan.isDate[i] && !records.isEmpty(plan.sources[i])) {
                    out.write(utf8(new CsvLine().field(plan.iso(records, i)).text()));
                } else {
                    records.writeCsv(plan.sources[i], i == 0, out);
                }
            }
            out.write('\r');
            out.write('\n');
        }
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
