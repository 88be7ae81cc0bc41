package io.reportpipes.sandbox;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sandbox's hand-written CSV and datetimes read back as Commons CSV and java.time say they should. */
class CsvLineTest {

    @Test
    void givenTrickyValues_whenWrittenAsALine_thenCommonsCsvReadsThemBackUnchanged() throws Exception {
        List<String> values = List.of("", "plain", "a,b", "say \"hi\"", "line one\nline two", "cr\r\nlf", " edge ",
                "Zoë Øvergaard", "\"Red\" Baker", "");
        String text = new CsvLine().clear().field("first").field("second").end().toString()
                + new CsvLine().clear().field("x").field("y").end()
                + values.stream().reduce(new CsvLine(), CsvLine::field, (a, b) -> a).end();

        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(CSVFormat.RFC4180).get()) {
            assertEquals(List.of(List.of("first", "second"), List.of("x", "y"), values),
                    parser.getRecords().stream().map(r -> r.toList()).toList());
        }
    }

    @Test
    void givenAnEmptyFirstField_thenTheLineIsNotBlank() {
        assertEquals("\"\",x\r\n", new CsvLine().field("").field("x").end().toString());
    }

    @Test
    void givenAnyInstantOfTheData_thenTheTimestampIsServiceminders() {
        DateTimeFormatter vendor = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long epochSecond = 1_500_000_000L + (long) (random.nextDouble() * 400_000_000L);
            assertEquals(vendor.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)),
                    ServiceminderRows.timestamp(epochSecond));
        }
    }
}
