package io.reportpipes.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ByteOutput#jsonString} writes what Jackson writes, wherever in a field the characters to escape fall. */
class ByteOutputTest {

    /** Plain ASCII weighted up, so that long runs without escapes (the eight-byte path) come up too. */
    private static final String ALPHABET = "abcdefghijklmnop\"\\\u0000\u0001\t\n\r\b\f\u001f\u007f é€😀";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void givenRandomStrings_thenJsonStringIsJacksons() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                int at = random.nextInt(3) > 0 ? random.nextInt(16)
                        : random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length()));
                text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, at)));
            }
            // a field at an odd offset of a larger buffer, as in a page
            byte[] field = text.toString().getBytes(StandardCharsets.UTF_8);
            int offset = random.nextInt(9);
            byte[] source = new byte[offset + field.length + random.nextInt(9)];
            System.arraycopy(field, 0, source, offset, field.length);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ByteOutput out = new ByteOutput(bytes)) {
                out.jsonString(source, offset, offset + field.length, false);
            }
            assertEquals(json.writeValueAsString(text.toString()), bytes.toString(StandardCharsets.UTF_8),
                    () -> "for " + text.toString().chars().mapToObj(Integer::toHexString).toList());
        }
    }
}
