package io.reportpipes.serviceminder;

import io.reportpipes.jobs.Backoff;

import io.reportpipes.jobs.PermanentJobException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusPollingTest {

    private static ServiceminderRun run() {
        ServiceminderRun run = new ServiceminderRun(new ServiceminderJob("org", "secret-key", 1, "contacts",
                Map.of(), "", "file:out", null, false), Clock.systemUTC(), null, null, null, null);
        run.downloadStarted("d-1");
        return run;
    }

    @Test
    void givenNotReadyAnswers_whenPolling_thenTheWaitGrowsByTheFactorUpToTheCap() {
        StatusPolling polling = new StatusPolling(Backoff.of(Duration.ofMillis(100), 2, Duration.ofMillis(500), "test"), Duration.ofHours(1));
        ServiceminderRun run = run();

        polling.begin(run);
        List<Long> waits = new ArrayList<>(List.of(run.getPollDelayMillis()));
        for (int i = 0; i < 4; i++) {
            polling.next(run);
            waits.add(run.getPollDelayMillis());
        }

        assertEquals(List.of(100L, 200L, 400L, 500L, 500L), waits);
    }

    @Test
    void givenTheDeadlineWouldPass_whenPolling_thenItFailsNamingTheDownloadAndWhatToDo() throws Exception {
        StatusPolling polling = new StatusPolling(Backoff.of(Duration.ofMillis(30), 1, Duration.ofMillis(30), "test"), Duration.ofMillis(50));
        ServiceminderRun run = run();
        polling.begin(run);
        Thread.sleep(40);

        String message = assertThrows(PermanentJobException.class, () -> polling.next(run)).getMessage();

        assertTrue(message.contains("serviceminder download d-1 of serviceminder/org/contacts page 1"), message);
        assertTrue(message.contains("raise serviceminder.poll.timeout"), message);
        assertTrue(!message.contains("secret-key"));
    }
}
