package io.reportpipes.delivery;

/**
 * One RFC 4180 record built in a reused StringBuilder: fields quoted only when they hold a comma, a quote, a
 * line break or an edge space (an empty first field is quoted, so a line is never blank), as
 * {@link CsvRecords#writeCsv} quotes. The sandbox writes millions of rows a benchmark; Commons CSV's printer
 * checks more than these values need and cost 3x as much.
 */
public final class CsvLine {

    private final StringBuilder line = new StringBuilder(512);

    /** Starts a new record. */
    public CsvLine clear() {
        line.setLength(0);
        return this;
    }

    public CsvLine field(String value) {
        boolean first = line.isEmpty();
        if (!first) {
            line.append(',');
        }
        if (!needsQuotes(value, first)) {
            line.append(value);
            return this;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
        return this;
    }

    /** The record so far, without a line end. */
    public String text() {
        return line.toString();
    }

    /** The record with its CRLF. */
    public CharSequence end() {
        return line.append("\r\n");
    }

    private static boolean needsQuotes(String value, boolean first) {
        if (value.isEmpty()) {
            return first;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ';
    }
}
