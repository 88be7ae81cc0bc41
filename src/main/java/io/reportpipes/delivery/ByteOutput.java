package io.reportpipes.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A write buffer without locks, that also writes JSON strings straight into itself: BufferedOutputStream
 * synchronizes every write, and JSON Lines made a dozen small writes a field (a third of the transform's
 * CPU in JFR).
 */
final class ByteOutput implements Closeable {

    private final OutputStream out;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private byte[] buffer = new byte[1 << 16];
    private int size;

    ByteOutput(OutputStream out) {
        this.out = out;
    }

    void write(int b) throws IOException {
        if (size == buffer.length) {
            drain();
        }
        buffer[size++] = (byte) b;
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - size) {
            drain();
            if (length > buffer.length) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /**
     * Writes UTF-8 bytes as a JSON string, as Jackson would: quotes, backslashes and control characters
     * escaped, the rest as it is. {@code undouble}: the bytes are a CSV field whose quotes are doubled.
     */
    void jsonString(byte[] source, int from, int to, boolean undouble) throws IOException {
        room(2 + 6 * (to - from));
        byte[] out = buffer;
        int at = size;
        out[at++] = '"';
        for (int i = from; i < to; i++) {
            // eight bytes at a time while none of them needs escaping (most fields have none)
            while (i + 8 <= to) {
                long word = (long) LONGS.get(source, i);
                if (needsEscape(word)) {
                    break;
                }
                LONGS.set(out, at, word);
                i += 8;
                at += 8;
            }
            if (i == to) {
                break;
            }
            byte b = source[i];
            if (b < 0 || b >= 0x20 && b != '"' && b != '\\') {
                out[at++] = b; // UTF-8 sequences and printable ASCII go as they are
                continue;
            }
            out[at++] = '\\';
            switch (b) {
                case '"' -> {
                    out[at++] = '"';
                    if (undouble) {
                        i++;
                    }
                }
                case '\\' -> out[at++] = '\\';
                case '\n' -> out[at++] = 'n';
                case '\r' -> out[at++] = 'r';
                case '\t' -> out[at++] = 't';
                case '\b' -> out[at++] = 'b';
                case '\f' -> out[at++] = 'f';
                default -> {
                    out[at++] = 'u';
                    out[at++] = '0';
                    out[at++] = '0';
                    out[at++] = HEX[b >> 4];
                    out[at++] = HEX[b & 0xF];
                }
            }
        }
        out[at++] = '"';
        size = at;
    }

    /**
     * Whether one of the eight bytes is a control character, a quote or a backslash (exact: bit tricks that
     * find a byte below a bound, here 0x20, or equal to one; UTF-8 bytes have the high bit set, so they pass).
     */
    private static boolean needsEscape(long word) {
        long quote = word ^ (ONES * '"');
        long backslash = word ^ (ONES * '\\');
        long found = (word - ONES * 0x20) & ~word | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash;
        return (found & HIGH_BITS) != 0;
    }

    /** Room for {@code length} more bytes in the buffer. */
    private void room(int length) throws IOException {
        if (length > buffer.length - size) {
            drain();
            if (length > buffer.length) {
                buffer = new byte[length];
            }
        }
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        out.write(buffer, 0, size);
        size = 0;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            drain();
        }
    }
}
