package io.reportpipes.delivery;

import io.reportpipes.jobs.TransientJobException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Streams a page body to a spool file on disk while Commons CSV checks it, so the page is never whole in
 * the heap and a bad page never reaches the sink: an empty body, an HTML or JSON answer, a missing id
 * column, a non-numeric or non-ascending id, a short or cut-off row and invalid UTF-8 all fail here,
 * the spool file is deleted, and the exception says what came back.
 */
public final class PageSpooler {

    private static final CSVFormat CSV = CSVFormat.RFC4180;
    private static final int SNIFF = 512;
    private final Path directory;

    public PageSpooler(Path directory) {
        this.directory = directory;
    }

    /** A page checked and on disk. {@code lastId} is -1 when the page has no id column or no rows. */
    public record SpooledPage(Path file, long rows, long bytes, long lastId) {
    }

    /** The body was not a whole, well-formed CSV page. Retrying may fetch a good one. */
    public static final class BadPageException extends TransientJobException {
        public BadPageException(String message) {
            super(message);
        }
    }

    /**
     * @param source   names the answer in messages, e.g. "serviceminder getdownload for serviceminder/north/contacts page 2"
     * @param idColumn the column whose values must ascend, or null
     * @param minId    the smallest id the page may hold
     * @param maxRows  the most rows the page may hold
     */
    public SpooledPage spool(InputStream body, String source, String idColumn, long minId, long maxRows)
            throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("page-" + UUID.randomUUID() + ".csv");
        boolean complete = false;
        try (InputStream in = body == null ? InputStream.nullInputStream() : body;
             OutputStream spool = Files.newOutputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            sniff(buffered, source);
            Tee tee = new Tee(buffered, spool);
            SpooledPage page = check(tee, file, source, idColumn, minId, maxRows);
            complete = true;
            return page;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
    }

    public void discard(Path file) throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Looks at the first bytes: nothing, HTML or JSON is not a CSV page. */
    private static void sniff(BufferedInputStream in, String source) throws IOException {
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        String start = new String(head, StandardCharsets.UTF_8).strip();
        if (head.length == 0) {
            throw new BadPageException(source + " answered an empty body where a CSV page was due "
                    + "(even an empty page has a header line); the download may not be complete at the vendor yet");
        }
        if (start.startsWith("<")) {
            throw new BadPageException(source + " answered an HTML page instead of CSV ("
                    + excerpt(start) + "); a proxy, login or outage page is likely");
        }
        if (start.startsWith("{") || start.startsWith("[")) {
            throw new BadPageException(source + " answered JSON instead of CSV (" + excerpt(start) + ")");
        }
    }

    private static String excerpt(String text) {
        String line = text.replaceAll("\\s+", " ");
        return "starting '" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "'";
    }

    private static SpooledPage check(Tee tee, Path file, String source, String idColumn, long minId, long maxRows)
            throws IOException {
        InputStreamReader reader = new InputStreamReader(tee, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        long rows = 0;
        long lastId = -1;
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSV).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> header = records.next().toList();
            int idIndex = idColumn == null ? -1 : header.indexOf(idColumn);
            if (idColumn != null && idIndex < 0) {
                throw new BadPageException(source + " answered a CSV without an '" + idColumn + "' column (header: "
                        + String.join(",", header.subList(0, Math.min(12, header.size())))
                        + "); the vendor changed the format or the Kind's columns");
            }
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = record.getRecordNumber();
                if (record.size() != header.size()) {
                    throw new BadPageException(source + " is cut short or malformed: record " + line + " has "
                            + record.size() + " fields where the header has " + header.size());
                }
                if (idIndex >= 0) {
                    lastId = id(record.get(idIndex), lastId, minId, line, source, idColumn);
                }
                if (++rows > maxRows) {
                    throw new BadPageException(source + " holds more than " + maxRows
                            + " rows, more than the vendor's page limit");
                }
            }
        } catch (UncheckedIOException e) {
            throw failure(source, e.getCause());
        } catch (CharacterCodingException e) {
            throw failure(source, e);
        } catch (IOException e) {
            if (unterminatedQuote(e)) {
                throw unterminatedQuote(source);
            }
            throw e;
        }
        if (tee.count > 0 && tee.last != '\n') {
            throw new BadPageException(source + " is cut short: the body ends in the middle of a row "
                    + "(no line break after the last record)");
        }
        return new SpooledPage(file, rows, tee.count, lastId);
    }

    private static RuntimeException failure(String source, Throwable cause) {
        if (cause instanceof CharacterCodingException) {
            return new BadPageException(source + " is not valid UTF-8 (" + cause.getClass().getSimpleName() + ")");
        }
        if (unterminatedQuote(cause)) {
            return unterminatedQuote(source);
        }
        return new UncheckedIOException(source + " could not be read: " + cause, cause instanceof IOException io
                ? io : new IOException(cause));
    }

    /** Commons CSV's way of saying the body ended inside a quoted field. */
    private static boolean unterminatedQuote(Throwable error) {
        return error != null && String.valueOf(error.getMessage()).contains("EOF reached before encapsulated token");
    }

    private static BadPageException unterminatedQuote(String source) {
        return new BadPageException(source + " is cut short inside a quoted field (an unterminated quote)");
    }

    private static long id(String value, long previous, long minId, long line, String source, String column) {
        long id;
        try {
            id = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
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

    /** Copies what is read to the spool file, counting bytes and remembering the last one. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        long count;
        int last = -1;

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
                last = b;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
                count += n;
                last = buffer[offset + n - 1];
            }
            return n;
        }
    }
}
