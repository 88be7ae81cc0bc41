package io.reportpipes.jobs;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** A range of whole days, both ends included; written yyyymmdd-yyyymmdd. Empty when it starts after it ends. */
public record DateWindow(LocalDate start, LocalDate end) {

    public static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    public boolean isEmpty() {
        return start.isAfter(end);
    }

    public int startNumber() {
        return Integer.parseInt(YYYYMMDD.format(start));
    }

    public int endNumber() {
        return Integer.parseInt(YYYYMMDD.format(end));
    }

    /** Reads what {@link #toString()} writes. */
    public static DateWindow parse(String text) {
        String[] ends = text.split("-");
        return new DateWindow(LocalDate.parse(ends[0], YYYYMMDD), LocalDate.parse(ends[1], YYYYMMDD));
    }

    @Override
    public String toString() {
        return YYYYMMDD.format(start) + "-" + YYYYMMDD.format(end);
    }
}
