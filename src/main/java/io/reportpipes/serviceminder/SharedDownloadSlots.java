package io.reportpipes.serviceminder;

import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.Checkpoints;
import io.reportpipes.state.Database;
import io.reportpipes.state.RunSupersededException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Cluster mode: the download cap across every node, a row per outstanding download in the state database, taken
 * under an advisory lock per organisation. A row belongs to the run (job, run id, page), not to the node: a node
 * that takes a run over inherits its places, and a download its predecessor had started for the page (a page fetched
 * ahead) is polled and fetched rather than started again, so the vendor's queue holds no orphan. Each row carries
 * the checkpoint epoch of the run that holds it: a superseded node gives back nothing of its successor's, and
 * takes no place.
 */
public final class SharedDownloadSlots implements DownloadSlots {

    private static final Logger LOG = LoggerFactory.getLogger("serviceminder");
    static final String TABLE = "report_pipes_downloads";
    private static final long FIRST_WAIT_MS = 100;
    private static final long LONGEST_WAIT_MS = 2_000;
    private final Database database;
    private final int perOrganisation;
    private final Checkpoints checkpoints;
    private final String checkpointTable;
    private final Duration staleAfter;

    /**
     * @param checkpointTable the JDBC checkpoint store's table, where housekeeping finds which runs are unfinished
     * @param staleAfter      housekeeping gives back a place no unfinished run holds once it is this old
     */
    public SharedDownloadSlots(Database database, int perOrganisation, Checkpoints checkpoints, String checkpointTable,
                               Duration staleAfter) throws IOException {
        this.database = database;
        this.perOrganisation = DownloadSlots.checked(perOrganisation);
        this.checkpoints = checkpoints;
        this.checkpointTable = checkpointTable;
        this.staleAfter = staleAfter;
        database.createIfMissing("the table " + TABLE, "CREATE TABLE IF NOT EXISTS " + TABLE
                + " (job_id varchar(400) NOT NULL, run_id varchar(100) NOT NULL, page integer NOT NULL,"
                + " organisation varchar(400) NOT NULL, epoch bigint NOT NULL, row_id bigint NOT NULL,"
                + " download_id varchar(100), since timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, run_id, page))",
                "CREATE INDEX IF NOT EXISTS " + TABLE + "_organisation ON " + TABLE + " (organisation)");
    }

    @Override
    public void acquire(@ExchangeProperty("jobRun") ServiceminderRun run) throws Exception {
        if (run.isSlotHeld()) {
            return;
        }
        long wait = FIRST_WAIT_MS;
        while (!tryAcquire(run)) {
            Thread.sleep(wait);
            wait = Math.min(wait * 2, LONGEST_WAIT_MS);
        }
        run.setSlotHeld(true);
    }

    /** The run's place for this page: its own from another node (taken over), else a new one if the cap allows. */
    private boolean tryAcquire(ServiceminderRun run) throws IOException {
        long epoch = checkpoints.epoch(run.getJobId());
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_advisory_xact_lock(hashtext('report-pipes/downloads/' || ?))")) {
                    lock.setString(1, run.getAccount());
                    lock.execute();
                }
                requireCurrent(connection, run.getJobId(), epoch);
                boolean taken = inherit(connection, run, epoch) || takeNew(connection, run, epoch);
                connection.commit();
                return taken;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw database.failure("could not take a download place for " + run.getJobId(), e);
        }
    }

    /**
     * A node woken from a pause may still ask for a place (its fetch ahead runs before its delivery finds it was
     * taken over): refused while its epoch is no longer the job's, so it cannot claim its successor's place and
     * start a download beside it. FOR SHARE holds a takeover's claim of the job off until this place is taken;
     * the successor then inherits it. A new run's first page passes: begin claimed the epoch before any page.
     */
    private void requireCurrent(Connection connection, String jobId, long epoch) throws SQLException {
        if (epoch == 0) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT epoch FROM " + checkpointTable
                + " WHERE job_id = ? FOR SHARE")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getLong(1) != epoch) {
                    throw new RunSupersededException(jobId, epoch);
                }
            }
        }
    }

    /** The place an earlier node of this run held for the page, and the download it started there (same RowId). */
    private static boolean inherit(Connection connection, ServiceminderRun run, long epoch) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET epoch = ?"
                + " WHERE job_id = ? AND run_id = ? AND page = ? AND epoch < ? RETURNING download_id, row_id")) {
            update.setLong(1, epoch);
            update.setString(2, run.getJobId());
            update.setString(3, run.getRunId());
            update.setInt(4, run.getPage());
            update.setLong(5, epoch);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                String downloadId = row.getString(1);
                if (downloadId != null && !run.isDownloadInFlight() && row.getLong(2) == run.getRowId()) {
                    run.downloadStarted(downloadId);
                    LOG.info("{} page {}: taking over download {}, which the run's previous node started", run.getJobId(),
                            run.getPage(), downloadId);
                }
                return true;
            }
        }
    }

    private boolean takeNew(Connection connection, ServiceminderRun run, long epoch) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + TABLE
                + " WHERE organisation = ?")) {
            count.setString(1, run.getAccount());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                if (row.getInt(1) >= perOrganisation) {
                    return false;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                + " (job_id, run_id, page, organisation, epoch, row_id, download_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, run.getJobId());
            insert.setString(2, run.getRunId());
            insert.setInt(3, run.getPage());
            insert.setString(4, run.getAccount());
            insert.setLong(5, epoch);
            insert.setLong(6, run.getRowId());
            // a download resumed from the checkpoint is the vendor's already
            insert.setString(7, run.getDownloadId());
            // a conflict is this run's own row: requireCurrent keeps out a later epoch, inherit took an earlier one
            insert.executeUpdate();
        }
        return true;
    }

    /** startdownload answered: the place records the DownloadId, for a node that may take the run over. */
    @Override
    public void started(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        try (Connection connection = database.connection();
             PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET download_id = ?"
                     + " WHERE job_id = ? AND run_id = ? AND page = ? AND epoch = ?")) {
            update.setString(1, run.getDownloadId());
            update.setString(2, run.getJobId());
            update.setString(3, run.getRunId());
            update.setInt(4, run.getPage());
            update.setLong(5, checkpoints.epoch(run.getJobId()));
            update.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("could not record the download of " + run.getJobId(), e);
        }
    }

    /**
     * Gives back the place of the run's current page once its download is fetched (or the run ends). Nothing while
     * another node has taken the run over from this one: the place, and the download, are that node's now.
     */
    @Override
    public void release(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        if (!(run instanceof ServiceminderRun serviceminder)) {
            return;
        }
        serviceminder.setSlotHeld(false);
        try (Connection connection = database.connection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ?"
                     + " AND run_id = ? AND page = ? AND epoch <= ? AND EXISTS (SELECT 1 FROM " + checkpointTable
                     + " WHERE job_id = ? AND epoch = ?)")) {
            long epoch = checkpoints.epoch(run.getJobId());
            delete.setString(1, run.getJobId());
            delete.setString(2, run.getRunId());
            delete.setInt(3, run.getPage());
            delete.setLong(4, epoch);
            delete.setString(5, run.getJobId());
            delete.setLong(6, epoch);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("could not give back the download place of " + run.getJobId(), e);
        }
    }

    /**
     * Housekeeping (a clustered schedule): places older than staleAfter whose run is no longer the unfinished run
     * of its job's checkpoint, left by a node that died or a run that ended without giving them back.
     */
    public int removeStale() throws IOException {
        try (Connection connection = database.connection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " d WHERE d.since < now()"
                     + " - ? * interval '1 millisecond' AND NOT EXISTS (SELECT 1 FROM " + checkpointTable + " c"
                     + " WHERE c.job_id = d.job_id AND c.checkpoint -> 'run' ->> 'runId' = d.run_id)")) {
            delete.setLong(1, staleAfter.toMillis());
            int removed = delete.executeUpdate();
            if (removed > 0) {
                LOG.info("Gave back {} download place(s) that no unfinished run holds", removed);
            }
            return removed;
        } catch (SQLException e) {
            throw database.failure("could not clean up the download places", e);
        }
    }

    @Override
    public int inFlight(String organisation) {
        try (Connection connection = database.connection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + TABLE
                     + " WHERE organisation = ?")) {
            count.setString(1, organisation);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(database.failure("could not count the download places", e));
        }
    }

    @Override
    public int perOrganisation() {
        return perOrganisation;
    }
}
