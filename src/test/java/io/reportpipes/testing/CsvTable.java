package io.reportpipes.testing;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A delivered or served CSV page read as a user's tool would read it (Commons CSV, RFC 4180, the first record
 * the header): the tests' one CSV reader. Columns are read by name, never by position.
 */
public record CsvTable(List<String> header, List<CSVRecord> records) {

    private static final CSVFormat WITH_HEADER = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    public static CsvTable parse(String csv) {
        return read(new StringReader(csv));
    }

    public static CsvTable read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    private static CsvTable read(Reader reader) {
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(WITH_HEADER).get()) {
            List<CSVRecord> records = parser.getRecords();
            return new CsvTable(List.copyOf(parser.getHeaderNames()), records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data rows (the header left out), each as its values in the header's order. */
    public List<List<String>> rows() {
        return records.stream().map(CSVRecord::toList).toList();
    }

    /** One column's values, in row order. */
    public List<String> column(String name) {
        return records.stream().map(record -> record.get(name)).toList();
    }
}
