package io.reportpipes;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/run.sh in a reduced form (50,000 rows, 2 x 2 fan-out): the script works and its table parses.
 * No time is asserted: the figures are for people, printed by the script.
 */
class BenchSmokeIT {

    private static final Pattern ROW = Pattern.compile("(?m)^(\\d) \\S.*?\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+(\\d+)\\s+"
            + "([\\d.]+|-)\\s+(\\d+)\\s+(\\d+\\.\\d+)x .*$");

    @Test
    void givenAReducedBenchmark_whenRun_thenEveryScenarioPrintsAParsableRow() throws Exception {
        ProcessBuilder bench = new ProcessBuilder("bash", "bench/run.sh").redirectErrorStream(true);
        bench.environment().put("BENCH_CLASSPATH", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        bench.environment().put("BENCH_OUT", Path.of("target", "bench-smoke").toString());
        bench.environment().put("BENCH_ROWS", "50000");
        bench.environment().put("BENCH_BIG_ROWS", "50000");
        bench.environment().put("BENCH_ORGS", "2");
        bench.environment().put("BENCH_KINDS", "2");
        Process process = bench.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the benchmark finished");
        System.out.println(output);

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("scenario") && output.contains("rows/s"), output);
        Matcher rows = ROW.matcher(output);
        List<String> scenarios = new java.util.ArrayList<>();
        while (rows.find()) {
            scenarios.add(rows.group(1));
            assertTrue(Long.parseLong(rows.group(2)) > 0 && Double.parseDouble(rows.group(4)) > 0, rows.group());
        }
        assertEquals(List.of("1", "2", "3", "4"), scenarios, output);
        assertTrue(output.contains("baseline: curl") && output.contains("baseline: python"), output);
    }
}
