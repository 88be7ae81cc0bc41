package io.reportpipes.jobs;

/**
 * One configured extraction of any vendor. {@code run-job} sends it to {@code direct:<vendor>-extract};
 * daemon mode schedules it by its {@link #schedule()}.
 */
public interface Job {

    /** vendor/account/report, e.g. serviceminder/north/contacts or crewmojo/people/employee.list. */
    String id();

    /** serviceminder or crewmojo: names the route that extracts it. */
    String vendor();

    /** A Quartz cron expression, or empty for "run-once only". */
    String schedule();

    /** The endpoint URI its runs deliver to (may hold credentials: never logged). */
    String sinkUri();
}
