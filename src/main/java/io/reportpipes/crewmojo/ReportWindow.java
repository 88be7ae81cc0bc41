package io.reportpipes.crewmojo;

import io.reportpipes.jobs.DateWindow;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dates a Crewmojo report job asks for, as configured:
 * <pre>
 * window = all                    no dates: the whole report (the default)
 * start-date = 20240101           a fixed window: both dates or neither, yyyymmdd
 * end-date = 20241231
 * window = yesterday
 * window = last-7-days            the 7 days before today (today excluded)
 * window = incremental            from the day after the last successful run's end date to yesterday;
 * start-date = 20240101             start-date is the first run's start
 * </pre>
 * "Today" is in crewmojo.time-zone.
 */
public record ReportWindow(Type type, LocalDate start, LocalDate end, int days) {

    public enum Type { ALL, FIXED, YESTERDAY, LAST_DAYS, INCREMENTAL }

    private static final DateTimeFormatter YYYYMMDD = DateWindow.YYYYMMDD;
    private static final Pattern LAST_DAYS = Pattern.compile("last-(\\d{1,4})-days");

    /**
     * Reads a job's window settings; adds what is wrong to {@code problems} (in configuration terms) and
     * returns null then.
     *
     * @param at where the settings are, e.g. "crewmojo client 'people' report 'goals.progress': "
     * @param base the settings' key prefix, e.g. crewmojo.client.people.goals.progress.
     */
    public static ReportWindow parse(String window, String startDate, String endDate, String at, String base,
                                     List<String> problems) {
        int before = problems.size();
        LocalDate start = date(startDate, base + "start-date", at, problems);
        LocalDate end = date(endDate, base + "end-date", at, problems);
        String setting = window == null || window.isBlank() ? (startDate != null || endDate != null ? "fixed" : "all")
                : window.trim();
        Matcher lastDays = LAST_DAYS.matcher(setting);
        ReportWindow parsed = null;
        switch (setting) {
            case "all", "yesterday" -> {
                if (startDate != null || endDate != null) {
                    problems.add(at + base + "window is " + setting + ", so " + base + "start-date and end-date "
                            + "must not be set (a window is either named or given by its dates)");
                }
                parsed = new ReportWindow(setting.equals("all") ? Type.ALL : Type.YESTERDAY, null, null, 1);
            }
            case "fixed" -> {
                if ((startDate == null) != (endDate == null)) {
                    problems.add(at + "set both " + base + "start-date and " + base + "end-date (yyyymmdd), or "
                            + "neither: Crewmojo takes the two dates together");
                } else if (start != null && end != null && start.isAfter(end)) {
                    problems.add(at + base + "start-date " + startDate + " is after end-date " + endDate);
                }
                parsed = new ReportWindow(Type.FIXED, start, end, 0);
            }
            case "incremental" -> {
                if (startDate == null) {
                    problems.add(at + "an incremental window needs " + base + "start-date (yyyymmdd), where its "
                            + "first run starts");
                }
                if (endDate != null) {
                    problems.add(at + base + "end-date must not be set for an incremental window (it ends yesterday)");
                }
                parsed = new ReportWindow(Type.INCREMENTAL, start, null, 0);
            }
            default -> {
                if (lastDays.matches() && Integer.parseInt(lastDays.group(1)) > 0) {
                    if (startDate != null || endDate != null) {
                        problems.add(at + base + "window is " + setting + ", so " + base + "start-date and end-date "
                                + "must not be set");
                    }
                    parsed = new ReportWindow(Type.LAST_DAYS, null, null, Integer.parseInt(lastDays.group(1)));
                } else {
                    problems.add(at + base + "window '" + setting + "' is not one of all, yesterday, last-<N>-days "
                            + "(e.g. last-7-days), incremental; or set start-date and end-date for fixed dates");
                }
            }
        }
        return problems.size() > before ? null : parsed;
    }

    private static LocalDate date(String value, String key, String at, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (!value.matches("\\d{8}")) {
            problems.add(at + key + " '" + value + "' is not a yyyymmdd date (e.g. 20240131)");
            return null;
        }
        try {
            return LocalDate.parse(value, YYYYMMDD);
        } catch (DateTimeParseException e) {
            problems.add(at + key + " '" + value + "' is not a real date");
            return null;
        }
    }

    /**
     * The dates to send on {@code today}; null for the whole report.
     *
     * @param watermark the end date (yyyymmdd) of the last successful incremental run, or null
     * @param overlapDays an incremental run starts this many days before the watermark's next day
     */
    public DateWindow dates(LocalDate today, String watermark, int overlapDays) {
        LocalDate yesterday = today.minusDays(1);
        return switch (type) {
            case ALL -> null;
            case FIXED -> new DateWindow(start, end);
            case YESTERDAY -> new DateWindow(yesterday, yesterday);
            case LAST_DAYS -> new DateWindow(today.minusDays(days), yesterday);
            case INCREMENTAL -> new DateWindow(watermark == null ? start
                    : LocalDate.parse(watermark, YYYYMMDD).plusDays(1).minusDays(overlapDays), yesterday);
        };
    }
}
