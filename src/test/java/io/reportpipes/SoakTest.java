package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault soak, reduced (bench/soak.sh runs it at full size): the default job set against the embedded sandbox,
 * once fault-free and once with 10 % of calls failing (the sandbox's whole mix, seeded) and 2 % of connections
 * reset. Every job completes with the same rows, requests stay within 1.5x, no call is retried past its limit,
 * and the log names each kind of fault served.
 */
class SoakTest {

    private static final Pattern SERVED = Pattern.compile("served (\\d+) requests; faults served: (.*)");
    private static final Pattern ATTEMPT = Pattern.compile("On delivery attempt: (\\d+)");
    private static final int MAX_REDELIVERIES = 6;
    /**
     * How each fault shows in the log (a regular expression for the message a user would search for). The HTTP
     * client itself retries a 429 or 503 once after its Retry-After ("responded with status 429; request will be
     * automatically re-executed"); our retries log "statusCode: 429".
     */
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("502-html", "statusCode: 502"), Map.entry("503-html", "status(Code:)? 503"),
            Map.entry("429", "status(Code:)? 429"), Map.entry("slow", "Read timed out"),
            Map.entry("reset", "failed to respond"), Map.entry("HTTP_500", "statusCode: 500"),
            Map.entry("TRY_AGAIN", "Please try again later"), Map.entry("QUEUE_FULL", "download queue is full"),
            Map.entry("EMPTY_BODY", "answered an empty body"), Map.entry("TRUNCATED_ROW", "cut short"),
            Map.entry("CUT_CONNECTION", "Premature end"), Map.entry("INVALIDATE_TOKEN", "the token was refused \\(401\\)"),
            Map.entry("EXPIRE_JOB", "expired or unknown"), Map.entry("NOT_READY_ONCE", "ready after [0-9]+ status call"));
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dir;

    private AppRun run(String name, double failRate, double resetRate) throws Exception {
        return AppRun.embedded(dir.resolve(name))
                // two pages a Kind, a few status calls a page: a few hundred calls to fail
                .set("sandbox.serviceminder.rows", "26000")
                .set("sandbox.serviceminder.rows.north.contacts", "30001")
                .set("sandbox.crewmojo.rows", "3000")
                .set("sandbox.crewmojo.slow.goals.progress", "300ms")
                .set("sandbox.serviceminder.ready-after", "1s")
                .set("sandbox.chaos.fail-rate", Double.toString(failRate))
                .set("sandbox.chaos.reset-rate", Double.toString(resetRate))
                .set("sandbox.chaos.slow", "1500ms")
                .set("camel.component.http.so-timeout", "1000")
                .set("retry.max-redeliveries", Integer.toString(MAX_REDELIVERIES))
                .set("crewmojo.poll.max-requests", "5");
    }

    @Test
    void givenTenPercentOfCallsFailingAndTwoPercentReset_thenEveryJobDeliversTheSameRowsWithoutARetryStorm()
            throws Exception {
        AppRun clean = run("clean", 0, 0);
        AppRun.Result cleanResult = clean.run();
        AppRun soak = run("soak", 0.10, 0.02);
        AppRun.Result soakResult = soak.run();

        assertEquals(0, cleanResult.summary().failures(), cleanResult::logText);
        assertEquals(0, soakResult.summary().failures(), soakResult::logText);
        Map<String, List<String>> expected = delivered(clean.out());
        assertEquals(10, expected.size(), "the default job set: " + expected.keySet());
        assertEquals(expected, delivered(soak.out()), "every job's rows, in order, none lost or doubled");

        Matcher cleanServed = served(cleanResult);
        Matcher soakServed = served(soakResult);
        long cleanRequests = Long.parseLong(cleanServed.group(1));
        long soakRequests = Long.parseLong(soakServed.group(1));
        assertTrue(soakRequests <= 1.5 * cleanRequests, "no retry storm: " + soakRequests + " requests with faults, "
                + cleanRequests + " without");
        String log = soakResult.logText();
        Matcher attempt = ATTEMPT.matcher(log);
        int most = -1;
        while (attempt.find()) {
            // Camel counts the redeliveries made before this failure: 0 for the first
            most = Math.max(most, Integer.parseInt(attempt.group(1)));
        }
        assertTrue(most >= 0 && most < MAX_REDELIVERIES, "failed calls were retried, within retry.max-redeliveries: "
                + most);
        List<String> unnamed = new ArrayList<>();
        for (String fault : soakServed.group(2).replaceAll("[{}]", "").split(", ")) {
            String kind = fault.substring(0, fault.indexOf('='));
            if (!Pattern.compile(NAMED.getOrDefault(kind, kind)).matcher(log).find()) {
                unnamed.add(kind);
            }
        }
        assertEquals(List.of(), unnamed, "faults served (" + soakServed.group(2) + ") the log does not name");
    }

    private static Matcher served(AppRun.Result result) {
        Matcher served = SERVED.matcher(result.logText());
        assertTrue(served.find(), "the sandbox logs what it served");
        return served;
    }

    /** Per job, the rows of its pages in page order (CSV lines or JSON records, as text). */
    private Map<String, List<String>> delivered(Path out) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path page : walk.filter(p -> p.getFileName().toString().startsWith("page-")).sorted().toList()) {
                // out/<vendor>/<account>/<report>/<run>/page-N
                Path relative = out.relativize(page);
                String job = relative.subpath(0, 3).toString();
                List<String> records = rows.computeIfAbsent(job, j -> new ArrayList<>());
                if (page.toString().endsWith(".json")) {
                    for (JsonNode record : json.readTree(page.toFile())) {
                        records.add(record.toString());
                    }
                } else {
                    AppRun.csvRows(page).forEach(row -> records.add(String.join("\u241f", row)));
                }
            }
        }
        return rows;
    }
}
