package io.reportpipes.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 records read straight from UTF-8 bytes, the encoding checked as they arrive: a field is a byte
 * range of the buffer (valid until the next record), written out as JSON or CSV without becoming a String.
 * <p>
 * Why not Commons CSV, as elsewhere: it decodes every byte to a char and builds a String per field, which
 * was 90 % of a pass-through run's CPU (JFR: 25,000-row pages of mostly ASCII, some non-Latin-1 names).
 * This reads the same dialect as {@code CSVFormat.RFC4180}: comma, double quote doubled inside quotes,
 * CRLF, LF or CR line ends, an empty line is a record of one empty field, no trimming.
 */
final class CsvRecords {

    /** The bytes are not the CSV or UTF-8 they should be; the message ("is …") says where. */
    static final class MalformedCsvException extends IOException {
        MalformedCsvException(String message) {
            super(message);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private byte[] buffer = new byte[1 << 16];
    private int limit;
    /** Bytes before this index are checked UTF-8. */
    private int checked;
    private long bytesBefore;
    private boolean eof;

    private int recordStart;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    /** Whether field i was quoted with doubled quotes inside, which output must undouble. */
    private boolean[] doubled = new boolean[64];
    private int size;
    private long number;

    CsvRecords(InputStream in) {
        this.in = in;
    }

    /** Reads the next record; false at the end of the input. */
    boolean next() throws IOException {
        if (!scan()) {
            return false;
        }
        number++;
        return true;
    }

    /** The record's number, counting the header as 1 (as Commons CSV does). */
    long number() {
        return number;
    }

    int size() {
        return size;
    }

    boolean isEmpty(int field) {
        return starts[field] == ends[field];
    }

    /** The record's fields as Strings (a header). */
    List<String> strings() {
        List<String> fields = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            fields.add(string(i));
        }
        return fields;
    }

    String string(int field) {
        String raw = new String(buffer, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
        return doubled[field] ? raw.replace("\"\"", "\"") : raw;
    }

    /** The field as a decimal number, spaces around it allowed. */
    long parseLong(int field) {
        int from = starts[field];
        int to = ends[field];
        while (from < to && buffer[from] == ' ') {
            from++;
        }
        while (to > from && buffer[to - 1] == ' ') {
            to--;
        }
        boolean negative = from < to && buffer[from] == '-';
        int at = negative ? from + 1 : from;
        if (at == to || to - at > 18) {
            return Long.parseLong(string(field).strip());
        }
        long value = 0;
        for (; at < to; at++) {
            int digit = buffer[at] - '0';
            if (digit < 0 || digit > 9) {
                return Long.parseLong(string(field).strip()); // a sign, or what is no number: Long says which
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /** Writes the field as a JSON string, as Jackson would: quotes, backslashes and control characters escaped. */
    void writeJson(int field, ByteOutput out) throws IOException {
        out.jsonString(buffer, starts[field], ends[field], doubled[field]);
    }

    /**
     * Writes the field as RFC 4180 needs it: quoted when it holds a comma, quote or line break or has an edge
     * space, and when it is empty and {@code first} in its line (so that no line is blank).
     */
    void writeCsv(int field, boolean first, ByteOutput out) throws IOException {
        int from = starts[field];
        int to = ends[field];
        boolean quote = doubled[field] || (from == to ? first : buffer[from] == ' ' || buffer[to - 1] == ' ');
        for (int at = from; at < to && !quote; at++) {
            byte b = buffer[at];
            quote = b == ',' || b == '"' || b == '\r' || b == '\n';
        }
        if (!quote) {
            out.write(buffer, from, to - from);
            return;
        }
        out.write('"');
        if (doubled[field]) {
            out.write(buffer, from, to - from);
        } else {
            int run = from;
            for (int at = from; at < to; at++) {
                if (buffer[at] == '"') {
                    out.write(buffer, run, at - run + 1);
                    run = at;
                }
            }
            out.write(buffer, run, to - run);
        }
        out.write('"');
    }

    /** Scans one record from recordStart; refills and rescans when the buffer ends inside it. */
    private boolean scan() throws IOException {
        while (true) {
            int at = recordStart;
            size = 0;
            if (at == limit) {
                if (eof) {
                    return false;
                }
                fill();
                continue;
            }
            while (true) {
                int start = at;
                boolean quoted = at < limit && buffer[at] == '"';
                boolean twice = false;
                if (quoted) {
                    start = ++at;
                    while (true) {
                        while (at < limit && buffer[at] != '"') {
                            at++;
                        }
                        if (at + 1 >= limit) {
                            break;
                        }
                        if (buffer[at + 1] != '"') {
                            break;
                        }
                        twice = true;
                        at += 2;
                    }
                    if (at + 1 >= limit && !eof) {
                        break;
                    }
                    if (at >= limit) {
                        throw new MalformedCsvException("is cut short inside a quoted field (an unterminated quote)");
                    }
                    add(start, at, twice);
                    at++;
                    while (at < limit && isBlank(buffer[at])) {
                        at++; // blanks between a closing quote and the delimiter are allowed, as in Commons CSV
                    }
                    if (at == limit && !eof) {
                        break;
                    }
                } else {
                    while (at < limit) {
                        byte b = buffer[at];
                        if (b == ',' || b == '\n' || b == '\r') {
                            break;
                        }
                        at++;
                    }
                    if (at == limit && !eof) {
                        break;
                    }
                    add(start, at, false);
                }
                if (at == limit) {
                    // the last record without a line break (RFC 4180 allows it)
                    recordStart = at;
                    return true;
                }
                byte b = buffer[at];
                if (b == ',') {
                    at++;
                    continue;
                }
                if (b == '\r' || b == '\n') {
                    if (b == '\r' && at + 1 == limit && !eof) {
                        break;
                    }
                    at += b == '\r' && at + 1 < limit && buffer[at + 1] == '\n' ? 2 : 1;
                    recordStart = at;
                    return true;
                }
                throw new MalformedCsvException("is malformed: record " + (number + 1)
                        + " has text after the closing quote of field " + size);
            }
            fill();
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == 0x0B || b == '\f' || b >= 0x1C && b <= 0x1F;
    }

    private void add(int start, int end, boolean twice) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
            doubled = Arrays.copyOf(doubled, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        doubled[size] = twice;
        size++;
    }

    /** Keeps the record being read at the front of the buffer (growing it for a record longer than it) and reads more. */
    private void fill() throws IOException {
        if (recordStart > 0) {
            System.arraycopy(buffer, recordStart, buffer, 0, limit - recordStart);
            bytesBefore += recordStart;
            limit -= recordStart;
            checked -= recordStart;
            recordStart = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        checkUtf8();
    }

    /** Checks the new bytes are UTF-8, leaving a sequence the buffer cuts for the next read. */
    private void checkUtf8() throws MalformedCsvException {
        int at = checked;
        while (at < limit) {
            if (at + 8 <= limit && ((long) LONGS.get(buffer, at) & HIGH_BITS) == 0) {
                at += 8;
                continue;
            }
            int b = buffer[at] & 0xFF;
            if (b < 0x80) {
                at++;
                continue;
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (length == 0) {
                throw invalidUtf8(at);
            }
            if (at + length > limit) {
                if (eof) {
                    throw invalidUtf8(at);
                }
                break;
            }
            int second = buffer[at + 1] & 0xFF;
            int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                throw invalidUtf8(at);
            }
            for (int i = 2; i < length; i++) {
                if ((buffer[at + i] & 0xC0) != 0x80) {
                    throw invalidUtf8(at);
                }
            }
            at += length;
        }
        checked = at;
    }

    private MalformedCsvException invalidUtf8(int at) {
        return new MalformedCsvException("is not valid UTF-8 (at byte " + (bytesBefore + at) + ")");
    }
}
