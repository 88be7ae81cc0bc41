package io.reportpipes.crewmojo;

import io.reportpipes.jobs.DateWindow;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWindowTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final String BASE = "crewmojo.client.hr.r.";
    private final List<String> problems = new ArrayList<>();

    private ReportWindow parse(String window, String start, String end) {
        return ReportWindow.parse(window, start, end, "at: ", BASE, problems);
    }

    @Test
    void givenNoSetting_thenTheWholeReportWithoutDates() {
        assertNull(parse(null, null, null).dates(TODAY, null, 0));
        assertEquals(List.of(), problems);
    }

    @Test
    void givenRelativeWindows_thenTheyEndYesterdayAcrossAMonthEnd() {
        assertEquals("20260228-20260228", parse("yesterday", null, null).dates(TODAY, null, 0).toString());
        assertEquals("20260222-20260228", parse("last-7-days", null, null).dates(TODAY, null, 0).toString());
    }

    @Test
    void givenFixedDates_thenBothAreSentAsYyyymmddNumbers() {
        DateWindow dates = parse(null, "20240101", "20241231").dates(TODAY, null, 0);
        assertEquals(20240101, dates.startNumber());
        assertEquals(20241231, dates.endNumber());
    }

    @Test
    void givenIncremental_thenTheFirstRunStartsAtStartDateAndLaterOnesAfterTheWatermark() {
        ReportWindow window = parse("incremental", "20260101", null);
        assertEquals("20260101-20260228", window.dates(TODAY, null, 0).toString());
        assertEquals("20260221-20260228", window.dates(TODAY, "20260220", 0).toString());
        assertEquals("20260219-20260228", window.dates(TODAY, "20260220", 2).toString());
        assertTrue(window.dates(TODAY, "20260228", 0).isEmpty(), "up to date");
    }

    @Test
    void givenMistakes_thenEachIsNamedInConfigurationTerms() {
        assertNull(parse(null, "20240101", null));
        assertNull(parse(null, "20241231", "20240101"));
        assertNull(parse("yesterday", "20240101", "20240102"));
        assertNull(parse("incremental", null, null));
        assertNull(parse("last-0-days", null, null));
        assertNull(parse(null, "2024011", "20240131"));

        assertEquals(List.of(
                "at: set both " + BASE + "start-date and " + BASE + "end-date (yyyymmdd), or neither: Crewmojo takes "
                        + "the two dates together",
                "at: " + BASE + "start-date 20241231 is after end-date 20240101",
                "at: " + BASE + "window is yesterday, so " + BASE + "start-date and end-date must not be set (a window "
                        + "is either named or given by its dates)",
                "at: an incremental window needs " + BASE + "start-date (yyyymmdd), where its first run starts",
                "at: " + BASE + "window 'last-0-days' is not one of all, yesterday, last-<N>-days (e.g. last-7-days), "
                        + "incremental; or set start-date and end-date for fixed dates",
                "at: " + BASE + "start-date '2024011' is not a yyyymmdd date (e.g. 20240131)"), problems);
    }
}
