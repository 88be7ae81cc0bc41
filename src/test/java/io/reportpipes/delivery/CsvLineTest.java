package io.reportpipes.delivery;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written CSV lines read back as Commons CSV says they should. */
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
}
