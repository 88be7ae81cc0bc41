package io.reportpipes;

import io.reportpipes.jobs.CallRetryCounts;
import io.reportpipes.testing.RouteFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route that a vendor-retries route sends to is retried as a whole, so it must be a retried-call route (no error
 * handler of its own, and its retry count cleared once it returns) or a vendor-retries route itself. A new call
 * declared with {@code errorHandler: noErrorHandler} instead would take over the retries the call before it spent.
 */
class RetriedCallRulesTest {

    private static final String RETRYING = "vendor-retries";

    @Test
    void givenTheRouteFiles_thenEveryRouteAVendorRetriesRouteSendsToIsARetriedCall() throws Exception {
        Map<String, Map<?, ?>> routesByUri = new HashMap<>();
        for (Path file : RouteFiles.flows()) {
            for (Object entry : (List<?>) RouteFiles.yaml(file)) {
                if (((Map<?, ?>) entry).get("route") instanceof Map<?, ?> route) {
                    routesByUri.put((String) ((Map<?, ?>) route.get("from")).get("uri"), route);
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map<?, ?> route : routesByUri.values()) {
            if (!RETRYING.equals(route.get("routeConfigurationId"))) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            directTargets(((Map<?, ?>) route.get("from")).get("steps"), targets);
            for (String target : targets) {
                Map<?, ?> called = routesByUri.get(target);
                Object configuration = called == null ? null : called.get("routeConfigurationId");
                checked++;
                if (!CallRetryCounts.ROUTE_CONFIGURATION.equals(configuration) && !RETRYING.equals(configuration)) {
                    wrong.add(route.get("id") + " -> " + target + " (" + (called == null ? "no such route" : configuration) + ")");
                }
            }
        }
        assertTrue(checked >= 10, checked + " calls checked");
        assertEquals(List.of(), wrong, "calls that are not routeConfigurationId: " + CallRetryCounts.ROUTE_CONFIGURATION);
    }

    /** Every {@code to: direct:…} among the steps, at any depth (filters, loops, choices). */
    private static void directTargets(Object node, List<String> targets) {
        if (node instanceof List<?> list) {
            list.forEach(item -> directTargets(item, targets));
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                Object uri = value instanceof Map<?, ?> to ? to.get("uri") : value;
                if ("to".equals(key) && uri instanceof String text && text.startsWith("direct:")) {
                    targets.add(text);
                } else {
                    directTargets(value, targets);
                }
            });
        }
    }
}
