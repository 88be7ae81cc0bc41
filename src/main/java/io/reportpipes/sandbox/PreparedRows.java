package io.reportpipes.sandbox;

import io.reportpipes.delivery.CsvLine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Kind's rows, as one request's filters select them, rendered to CSV bytes once, so that any page can be
 * served as a slice: what the vendor does with the file it prepared. Used where the sandbox must not be
 * the bottleneck (the benchmark): generating rows costs about 5 µs each, serving a slice nothing.
 */
final class PreparedRows {

    private static final int BLOCK = 1 << 24;
    private static final int WRITE = 1 << 16;
    private final ServiceminderRequest request;
    private final byte[] header;
    private final List<byte[]> blocks = new ArrayList<>();
    private long[] ids = new long[1024];
    /** Where row i starts in the blocks taken as one stream; starts[rows] is the end. */
    private long[] starts = new long[1025];
    private int rows;
    private long size;

    private PreparedRows(ServiceminderRequest request, byte[] header) {
        this.request = request;
        this.header = header;
    }

    /** Renders every row {@code request} selects from RowId 0 on. */
    static PreparedRows render(ServiceminderRows source, ServiceminderRequest request) {
        List<String> columns = request.kind().columns(request.settings());
        CsvLine line = new CsvLine();
        columns.forEach(line::field);
        PreparedRows prepared = new PreparedRows(request, utf8(line.end()));
        for (long i = source.firstIndexAtOrAfter(request.rowId()); i < source.rowCount(); i++) {
            ServiceminderRows.Row row = source.row(i);
            if (request.matches(row)) {
                line.clear();
                for (String column : columns) {
                    line.field(row.value(column));
                }
                prepared.add(row.id, utf8(line.end()));
            }
        }
        return prepared;
    }

    /** Whether a request asks for these rows, from whatever RowId. */
    boolean serves(ServiceminderRequest other) {
        return request.equals(other.fromRowId(request.rowId()));
    }

    /** The page from {@code rowId} on, at most {@code limit} rows: its byte length, for Content-Length. */
    long length(long rowId, int limit) {
        int first = first(rowId);
        return header.length + starts[Math.min(rows, first + limit)] - starts[first];
    }

    void write(OutputStream out, long rowId, int limit) throws IOException {
        int first = first(rowId);
        out.write(header);
        long from = starts[first];
        long to = starts[Math.min(rows, first + limit)];
        while (from < to) {
            byte[] block = blocks.get((int) (from / BLOCK));
            int offset = (int) (from % BLOCK);
            int length = (int) Math.min(Math.min(to - from, BLOCK - offset), WRITE);
            out.write(block, offset, length);
            from += length;
        }
    }

    private int first(long rowId) {
        int at = Arrays.binarySearch(ids, 0, rows, rowId);
        return at >= 0 ? at : -at - 1;
    }

    private void add(long id, byte[] record) {
        if (rows == ids.length) {
            ids = Arrays.copyOf(ids, rows * 2);
            starts = Arrays.copyOf(starts, rows * 2 + 1);
        }
        ids[rows] = id;
        starts[rows] = size;
        for (int done = 0; done < record.length; ) {
            int offset = (int) (size % BLOCK);
            if (offset == 0) {
                blocks.add(new byte[BLOCK]);
            }
            int length = Math.min(record.length - done, BLOCK - offset);
            System.arraycopy(record, done, blocks.get(blocks.size() - 1), offset, length);
            done += length;
            size += length;
        }
        rows++;
        starts[rows] = size;
    }

    private static byte[] utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
