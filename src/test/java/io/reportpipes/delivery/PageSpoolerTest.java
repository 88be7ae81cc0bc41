package io.reportpipes.delivery;

import io.reportpipes.delivery.PageSpooler.BadPageException;
import io.reportpipes.delivery.PageSpooler.SpooledPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageSpoolerTest {

    @TempDir
    Path dir;

    private SpooledPage spool(byte[] body, long minId, long maxRows) throws Exception {
        return new PageSpooler(dir).spool(new ByteArrayInputStream(body), "test page", "Id", minId, maxRows, null, null);
    }

    private SpooledPage spool(String body) throws Exception {
        return spool(body.getBytes(StandardCharsets.UTF_8), 0, 25_000);
    }

    private String failure(String body) {
        return failure(body.getBytes(StandardCharsets.UTF_8), 0, 25_000);
    }

    private String failure(byte[] body, long minId, long maxRows) {
        String message = assertThrows(BadPageException.class, () -> spool(body, minId, maxRows)).getMessage();
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the spool file of a bad page is deleted");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return message;
    }

    @Test
    void givenAQuotedMultiLineUtf8Page_whenSpooled_thenTheFileIsByteForByteAndCounted() throws Exception {
        String body = "Id,Name,Notes\r\n7,Zoë,\"a, \"\"b\"\"\r\nsecond line\"\r\n9,Łukasz,\r\n";

        SpooledPage page = spool(body);

        assertEquals(2, page.rows());
        assertEquals(9, page.lastId());
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length, page.bytes());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(page.file()));
    }

    @Test
    void givenAByteOrderMarkLfLineEndsAndTheIdColumnInOtherCasing_whenSpooled_thenThePageIsAcceptedRowExact()
            throws Exception {
        // as an ASP.NET server may send it: a BOM before the header, LF line ends, " id " for Id
        SpooledPage page = spool("\uFEFF id ,Name\n1001,Ann\n1002,Bob\n");

        assertEquals(2, page.rows());
        assertEquals(1002, page.lastId());
        assertEquals(List.of(" id ", "Name"), page.header(), "no byte-order mark in the column names");
    }

    @Test
    void givenAHeaderOnlyPage_whenSpooled_thenZeroRows() throws Exception {
        assertEquals(0, spool("Id,Name\r\n").rows());
    }

    @Test
    void givenNotACsvPage_whenSpooled_thenTheMessageSaysWhatCameBack() {
        assertTrue(failure("").contains("empty body"));
        assertTrue(failure("<html><title>Login</title></html>").contains("HTML page"));
        assertTrue(failure("{\"ResultCode\":4}").contains("JSON instead of CSV"));
        assertTrue(failure("RecordId,Name\r\n1,a\r\n").contains("without an 'Id' column"));
    }

    @Test
    void givenAWholeBodyWhoseLastRecordHasNoLineBreak_whenSpooled_thenThatRecordCounts() throws Exception {
        // RFC 4180 allows it; the HTTP layer has already failed a body shorter than its framing said
        SpooledPage page = spool("Id,Name\r\n1,a\r\n2,\"b, c\"");

        assertEquals(2, page.rows());
        assertEquals(2, page.lastId());
    }

    @Test
    void givenABrokenCsv_whenSpooled_thenItFailsWithTheRecordNamed() {
        assertTrue(failure("Id,Name\r\n1,a\r\n2").contains("record 3 has 1 fields"));
        assertTrue(failure("Id,Name\r\n1,a\r\n2,\"b").contains("unterminated quote"));
        assertTrue(failure("Id,Name\r\n1,\"a\r\n").contains("unterminated quote"));
        assertTrue(failure("Id,Name\r\n1,a\r\nx,b\r\n").contains("non-numeric Id 'x'"));
        assertTrue(failure("Id,Name\r\n5,a\r\n3,b\r\n").contains("ids must ascend"));
        byte[] latin1 = "Id,Name\r\n1,Zo\u00eb\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(failure(latin1, 0, 10).contains("not valid UTF-8"));
    }

    @Test
    void givenTooManyRowsOrIdsBelowRowId_whenSpooled_thenItFails() {
        byte[] three = "Id\r\n1\r\n2\r\n3\r\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(failure(three, 0, 2).contains("more than 2 rows"));
        assertTrue(failure(three, 2, 10).contains("below the requested RowId 2"));
    }

    private String jsonFailure(String body) {
        String message = assertThrows(BadPageException.class, () -> new PageSpooler(dir).spoolJsonArray(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "test report")).getMessage();
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the spool file of a bad report is deleted");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return message;
    }

    @Test
    void givenAJsonArrayOfRecords_whenSpooled_thenTheFileIsByteForByteAndTheRecordsCounted() throws Exception {
        String body = "[{\"Employee\":\"Zoë\",\"Notes\":\"a\\nb\"},\n {\"Employee\":\"Bo\",\"Nested\":{\"x\":[1]}}]";

        SpooledPage page = new PageSpooler(dir).spoolJsonArray(new ByteArrayInputStream(
                body.getBytes(StandardCharsets.UTF_8)), "test report");

        assertEquals(2, page.rows());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(page.file()));
        assertEquals(0, new PageSpooler(dir).spoolJsonArray(new ByteArrayInputStream("[]".getBytes(
                StandardCharsets.UTF_8)), "empty report").rows());
    }

    @Test
    void givenABadJsonReport_whenSpooled_thenTheMessageSaysWhatIsWrong() {
        assertTrue(jsonFailure("").contains("empty body where a JSON page was due"));
        assertTrue(jsonFailure("<html>502</html>").contains("HTML page instead of JSON"));
        assertTrue(jsonFailure("{\"success\":\"false\"}").contains("not an array of records"));
        assertTrue(jsonFailure("[{\"a\":1},2]").contains("record 2 of the JSON array is a VALUE_NUMBER_INT"));
        assertTrue(jsonFailure("[{\"a\":1},{\"a\":").contains("not well-formed JSON"));
        assertTrue(jsonFailure("[{\"a\":1}] [").contains("content after the end"));
    }
}
