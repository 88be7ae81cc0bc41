package io.reportpipes.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.TransientJobException;
import org.apache.camel.ExchangeProperty;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Streams a page body to a spool file on disk while {@link CsvRecords} (or Jackson, for a JSON report) checks it, so the page is never whole in
 * the heap and a bad page never reaches the sink: an empty body, an HTML or JSON answer, a missing id
 * column, a non-numeric or non-ascending id, a short or cut-off row and invalid UTF-8 all fail here,
 * the spool file is deleted, and the exception says what came back.
 * <p>
 * A body the HTTP layer cut (shorter than its Content-Length, a chunked body without its last chunk, a reset
 * connection) fails while it is read, and is retried. A body it delivered whole may end its last record without a
 * line break, as RFC 4180 allows: that record is accepted when it has the header's fields and no open quote; a body
 * cut inside a record (fewer fields, an open quote) is refused.
 */
public final class PageSpooler {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    private static final int SNIFF = 512;
    private final Path directory;

    public PageSpooler(Path directory) {
        this.directory = directory;
    }

    /** A page checked and on disk. {@code lastId} is -1 when the page has no id column or no rows. */
    public record SpooledPage(Path file, long rows, long bytes, long lastId, List<String> header) {
    }

    /** The body was not a whole, well-formed CSV page. Retrying may fetch a good one. */
    public static final class BadPageException extends TransientJobException {
        public BadPageException(String message) {
            super(message);
        }
    }

    /**
     * Spools a CSV page, written as {@code run}'s transform says while it is checked (read once): the spool
     * file is then what the sink gets. A pass-through transform (or no run) spools the page byte for byte.
     *
     * @param source   names the answer in messages, e.g. "serviceminder getdownload for serviceminder/north/contacts page 2"
     * @param idColumn the column whose values must ascend, or null
     * @param minId    the smallest id the page may hold
     * @param maxRows  the most rows the page may hold
     * @param columns  the header the page must have (the run's earlier pages'), or null for any
     * @param run      the run whose transform writes the page, or null for the page as it came
     */
    public SpooledPage spool(InputStream body, String source, String idColumn, long minId, long maxRows,
                             List<String> columns, JobRun run) throws IOException {
        JobRun rewrite = run != null && !run.getTransform().passThrough() ? run : null;
        return spool(body, source, "csv", rewrite == null ? "csv" : run.getTransform().extension(), rewrite == null,
                (in, out, file) -> check(in, out, file, source, idColumn, minId, maxRows, columns, rewrite));
    }

    /**
     * Streams a JSON report (an array of objects) to disk while Jackson checks it: not an array, an
     * element that is not an object, a cut-off body or trailing content fail here.
     */
    public SpooledPage spoolJsonArray(InputStream body, String source) throws IOException {
        return spool(body, source, "json", "json", true, (in, out, file) -> checkJsonArray(in, file, source));
    }

    private interface Check {
        /** @param in the body, copied to the spool file {@code out} as it is read unless the check writes it */
        SpooledPage check(Tee in, OutputStream out, Path file) throws IOException;
    }

    private SpooledPage spool(InputStream body, String source, String format, String extension, boolean copy,
                              Check check) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("page-" + UUID.randomUUID() + "." + extension);
        boolean complete = false;
        try (InputStream in = body == null ? InputStream.nullInputStream() : body;
             OutputStream spool = Files.newOutputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            sniff(buffered, source, format);
            SpooledPage page = check.check(new Tee(buffered, copy ? spool : OutputStream.nullOutputStream()), spool,
                    file);
            complete = true;
            return page;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Deletes what a killed process left in the spool (it is scratch space): called once at start-up. */
    public void clear() throws IOException {
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    public void discard(Path file) throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** The job failed: drop the page it may have spooled but not delivered. */
    public void abandon(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        if (run != null) {
            discard(run.getPageFile());
        }
    }

    /** Looks at the first bytes: nothing or HTML is no page; JSON is no CSV page. */
    private static void sniff(BufferedInputStream in, String source, String format) throws IOException {
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        String start = new String(head, StandardCharsets.UTF_8).strip();
        String what = format.toUpperCase(java.util.Locale.ROOT);
        if (head.length == 0) {
            throw new BadPageException(source + " answered an empty body where a " + what + " page was due "
                    + "(even an empty page has " + (format.equals("csv") ? "a header line" : "[]")
                    + "); the data may not be complete at the vendor yet");
        }
        if (start.startsWith("<")) {
            throw new BadPageException(source + " answered an HTML page instead of " + what + " ("
                    + excerpt(start) + "); a proxy, login or outage page is likely");
        }
        if (format.equals("csv") && (start.startsWith("{") || start.startsWith("["))) {
            throw new BadPageException(source + " answered JSON instead of CSV (" + excerpt(start) + ")");
        }
    }

    private static String excerpt(String text) {
        String line = text.replaceAll("\\s+", " ");
        return "starting '" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "'";
    }

    private static SpooledPage check(Tee tee, OutputStream spool, Path file, String source, String idColumn,
                                     long minId, long maxRows, List<String> columns, JobRun rewrite)
            throws IOException {
        CsvRecords records = new CsvRecords(tee);
        ByteOutput out = rewrite == null ? null : new ByteOutput(spool);
        PageTransformer transformer = null;
        long rows = 0;
        long lastId = -1;
        List<String> header;
        try {
            records.next();
            header = withoutByteOrderMark(records.strings());
            if (columns != null && !columns.equals(header)) {
                throw new BadPageException(source + " has other columns than the run's earlier pages (" + columns.size()
                        + " then, " + header.size() + " now: " + String.join(",", header.subList(0,
                        Math.min(12, header.size()))) + "): the vendor changed the report's columns during the run; "
                        + "run the job again for a run in one format");
            }
            if (rewrite != null) {
                transformer = new PageTransformer(rewrite, header, out);
            }
            int idIndex = idColumn == null ? -1 : column(header, idColumn);
            if (idColumn != null && idIndex < 0) {
                throw new BadPageException(source + " answered a CSV without an '" + idColumn + "' column (header: "
                        + String.join(",", header.subList(0, Math.min(12, header.size())))
                        + "); the vendor changed the format or the Kind's columns");
            }
            while (records.next()) {
                long line = records.number();
                if (records.size() != header.size()) {
                    throw new BadPageException(source + " is cut short or malformed: record " + line + " has "
                            + records.size() + " fields where the header has " + header.size());
                }
                if (idIndex >= 0) {
                    lastId = id(records, idIndex, lastId, minId, line, source, idColumn);
                }
                if (++rows > maxRows) {
                    throw new BadPageException(source + " holds more than " + maxRows
                            + " rows, more than the vendor's page limit");
                }
                if (transformer != null) {
                    transformer.write(records);
                }
            }
        } catch (CsvRecords.MalformedCsvException e) {
            throw new BadPageException(source + " " + e.getMessage());
        }
        if (out != null) {
            out.flush();
        }
        return new SpooledPage(file, rows, out == null ? tee.count : Files.size(file), lastId, header);
    }

    private SpooledPage checkJsonArray(Tee tee, Path file, String source) throws IOException {
        long rows = 0;
        try (JsonParser parser = JSON.createParser(tee)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new BadPageException(source + " answered JSON that is not an array of records (it starts with "
                        + parser.currentToken() + ")");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                parser.skipChildren();
                rows++;
            }
            if (token != JsonToken.END_ARRAY) {
                throw new BadPageException(source + ": record " + (rows + 1) + " of the JSON array is "
                        + (token == null ? "missing, the body is cut short" : "a " + token + ", not an object"));
            }
            if (parser.nextToken() != null) {
                throw new BadPageException(source + " has content after the end of its JSON array");
            }
        } catch (JsonParseException e) {
            // Jackson's message names the problem and a location; it quotes at most a few characters
            throw new BadPageException(source + " is not well-formed JSON (cut short or corrupt): "
                    + e.getOriginalMessage());
        }
        return new SpooledPage(file, rows, tee.count, -1, null);
    }

    /**
     * The header's column names without a UTF-8 byte-order mark before the first (ASP.NET writes one before a text
     * download): it must not name a JSON Lines key or make the next page's header look different.
     */
    static List<String> withoutByteOrderMark(List<String> header) {
        if (header.isEmpty() || !header.get(0).startsWith("\uFEFF")) {
            return header;
        }
        List<String> names = new ArrayList<>(header);
        names.set(0, names.get(0).substring(1));
        return List.copyOf(names);
    }

    /** A column found by name as a person reads the header: trimmed, in any casing; -1 if there is none. */
    static int column(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        return -1;
    }

    private static long id(CsvRecords records, int field, long previous, long minId, long line, String source,
                           String column) {
        long id;
        try {
            id = records.parseLong(field);
        } catch (NumberFormatException e) {
            String value = records.string(field);
            throw new BadPageException(source + ": record " + line + " has a non-numeric " + column + " '"
                    + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        }
        if (id < minId || id <= previous) {
            throw new BadPageException(source + ": record " + line + " has " + column + " " + id
                    + (id < minId ? " below the requested RowId " + minId : " after " + previous
                    + "; ids must ascend"));
        }
        return id;
    }

    /** Copies what is read to the spool file, counting bytes. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        long count;

        Tee(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
                count += n;
            }
            return n;
        }
    }
}
