package io.reportpipes.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link CsvRecords} reads what Commons CSV's RFC 4180 reads, fails where it fails, and writes fields back intact. */
class CsvRecordsTest {

    private static final String ALPHABET = "ab,\"\r\n é Ж€😀";
    private final ObjectMapper json = new ObjectMapper();

    /** Hands out at most a few bytes a read, so records and UTF-8 sequences straddle every refill. */
    private static InputStream trickle(byte[] bytes, Random random) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return super.read(buffer, offset, Math.min(length, 1 + random.nextInt(3)));
            }
        };
    }

    private static List<List<String>> commons(String text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(CSVFormat.RFC4180).get()) {
            return parser.getRecords().stream().map(r -> r.toList()).toList();
        }
    }

    @Test
    void givenRandomCsvText_thenTheRecordsAreCommonsCsvsAndFieldsWriteBackAsJsonAndCsv() throws Exception {
        Random random = new Random(11);
        int compared = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
                        random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
            }
            List<List<String>> expected;
            try {
                expected = commons(text.toString());
            } catch (IOException | RuntimeException e) {
                CsvRecords records = new CsvRecords(trickle(text.toString().getBytes(StandardCharsets.UTF_8), random));
                assertThrows(CsvRecords.MalformedCsvException.class, () -> {
                    while (records.next()) {
                        records.size();
                    }
                }, "refused by Commons CSV (" + e.getMessage() + "): " + text);
                refused++;
                continue;
            }
            CsvRecords records = new CsvRecords(trickle(text.toString().getBytes(StandardCharsets.UTF_8), random));
            List<List<String>> actual = new ArrayList<>();
            while (next(records, text)) {
                List<String> fields = new ArrayList<>();
                for (int f = 0; f < records.size(); f++) {
                    String value = records.string(f);
                    fields.add(value);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    ByteOutput out = new ByteOutput(bytes);
                    records.writeJson(f, out);
                    out.flush();
                    assertEquals(value, json.readValue(bytes.toByteArray(), String.class), "as JSON: " + text);
                    bytes.reset();
                    records.writeCsv(f, true, out);
                    out.flush();
                    List<List<String>> back = commons(bytes.toString(StandardCharsets.UTF_8) + "\r\n");
                    assertEquals(List.of(List.of(value)), back, "as CSV: " + text);
                }
                assertEquals(records.number(), actual.size() + 1);
                actual.add(fields);
            }
            assertEquals(expected, actual, text.toString());
            compared++;
        }
        assertTrue(compared > 5_000 && refused > 1_000, compared + " compared, " + refused + " refused");
    }

    private static boolean next(CsvRecords records, CharSequence text) {
        try {
            return records.next();
        } catch (IOException e) {
            throw new AssertionError("refused what Commons CSV reads (" + e.getMessage() + "): "
                    + text.toString().replace("\r", "\\r").replace("\n", "\\n"), e);
        }
    }

    @Test
    void givenNumbers_thenParseLongReadsThemAndRefusesWhatIsNone() throws Exception {
        CsvRecords records = new CsvRecords(new ByteArrayInputStream(
                " 42 ,-7,+5,12345678901234567890,x1,\"9\"\n".getBytes(StandardCharsets.UTF_8)));
        records.next();
        assertEquals(42, records.parseLong(0));
        assertEquals(-7, records.parseLong(1));
        assertEquals(5, records.parseLong(2));
        assertThrows(NumberFormatException.class, () -> records.parseLong(3));
        assertThrows(NumberFormatException.class, () -> records.parseLong(4));
        assertEquals(9, records.parseLong(5));
    }

    @Test
    void givenInvalidUtf8Anywhere_thenItIsRefusedNamingTheByte() {
        byte[][] bad = {{'a', (byte) 0xC3}, {'a', (byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82, '\n'}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}};
        Random random = new Random(5);
        for (byte[] bytes : bad) {
            for (int repeat = 0; repeat < 20; repeat++) {
                CsvRecords records = new CsvRecords(trickle(bytes, random));
                try {
                    while (records.next()) {
                        records.size();
                    }
                    fail("accepted invalid UTF-8");
                } catch (IOException e) {
                    assertTrue(e.getMessage().startsWith("is not valid UTF-8 (at byte "), e.getMessage());
                }
            }
        }
    }

    @Test
    void givenARecordLongerThanTheBuffer_thenItIsReadWhole() throws Exception {
        String longValue = "é".repeat(100_000) + ",\"quoted";
        byte[] bytes = ("Id,Notes\r\n1,\"" + longValue.replace("\"", "\"\"") + "\"\r\n").getBytes(StandardCharsets.UTF_8);
        CsvRecords records = new CsvRecords(new ByteArrayInputStream(bytes));
        records.next();
        records.next();
        assertEquals(longValue, records.string(1));
    }
}
