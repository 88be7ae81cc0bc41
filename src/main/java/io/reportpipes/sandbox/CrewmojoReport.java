package io.reportpipes.sandbox;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Crewmojo reports the sandbox serves, each with its own columns. The first column of each is the
 * row's date (yyyymmdd), which a startDate/endDate window filters on.
 */
public enum CrewmojoReport {

    ONE_ON_ONE_SUMMARY("oneonone.summary", List.of("Date", "Employee", "Employee Code", "Manager", "Manager Code",
            "Completed", "Duration Minutes", "Notes")),
    EMPLOYEE_LIST("employee.list", List.of("Created Date", "Employee", "Employee Code", "Email", "Manager",
            "Active", "Current Position", "Gender")),
    GOALS_PROGRESS("goals.progress", List.of("Updated Date", "Employee Code", "Goal", "Progress Percent",
            "Status", "Due Date"));

    private final String id;
    private final List<String> columns;

    CrewmojoReport(String id, List<String> columns) {
        this.id = id;
        this.columns = columns;
    }

    public String id() {
        return id;
    }

    public List<String> columns() {
        return columns;
    }

    public static Optional<CrewmojoReport> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    private static final String[] NAMES = {"Adelina Amador", "Adrian Willard", "Alan Fink", "Zoë Ångström",
        "José Núñez", "Renée O'Neil", "Bo \"Bud\" Chen", "Łucja Wójcik"};
    private static final String[] POSITIONS = {"Mechanical Plant Engineer", "Site Manager, North",
        "Safety Officer", ""};
    private static final String[] NOTES = {"", "Discussed goals", "Follow up:\nsafety training", "\"Great\" week"};
    /** Row {@code index}'s date: rows spread over two years from {@code first}, in order. */
    static LocalDate date(long index, long rows, LocalDate first) {
        return first.plusDays(index * 730 / Math.max(1, rows));
    }

    /** Row {@code index}'s values, deterministic from the seed. */
    List<String> row(long seed, long index, long rows, LocalDate first) {
        long h = ServiceminderRows.mix(seed ^ ordinal() * 0x9E3779B97F4A7C15L ^ index);
        LocalDate date = date(index, rows, first);
        String day = date.toString().replace("-", "");
        String name = NAMES[(int) Math.floorMod(h, NAMES.length)];
        String code = "emp" + (1 + index);
        return switch (this) {
            case ONE_ON_ONE_SUMMARY -> List.of(day, name, code, NAMES[(int) Math.floorMod(h >>> 8, NAMES.length)],
                    "MGR" + Math.floorMod(h >>> 16, 50), Math.floorMod(h >>> 20, 4) == 0 ? "No" : "Yes",
                    Long.toString(15 + Math.floorMod(h >>> 24, 46)), NOTES[(int) Math.floorMod(h >>> 30, NOTES.length)]);
            case EMPLOYEE_LIST -> List.of(day, name, code, code + "@test.crewmojo.com",
                    NAMES[(int) Math.floorMod(h >>> 8, NAMES.length)], Math.floorMod(h >>> 12, 5) == 0 ? "No" : "Yes",
                    POSITIONS[(int) Math.floorMod(h >>> 16, POSITIONS.length)], Math.floorMod(h >>> 20, 2) == 0 ? "F" : "M");
            case GOALS_PROGRESS -> List.of(day, code, "Goal " + Math.floorMod(h >>> 4, 9) + ", stretch",
                    Long.toString(Math.floorMod(h >>> 8, 101)), Math.floorMod(h >>> 16, 3) == 0 ? "At risk" : "On track",
                    date.plusDays(90).toString().replace("-", ""));
        };
    }
}
