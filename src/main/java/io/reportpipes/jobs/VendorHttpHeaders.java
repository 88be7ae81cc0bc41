package io.reportpipes.jobs;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * The header filter strategy of every vendor call (camel-http's {@code headerFilterStrategy}): a request carries
 * only the headers the call sets itself (its Content-Type, Crewmojo's bearer token), whatever else the message
 * holds from earlier calls or deliveries; of an answer, only its Content-Type reaches the message, so nothing a
 * vendor sends travels on to the next call or a sink.
 */
public final class VendorHttpHeaders implements HeaderFilterStrategy {

    private static final Set<String> SENT = Set.of("content-type", "authorization");
    private static final Set<String> RECEIVED = Set.of("content-type");

    /** True when the message's header must not go out with the request. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !SENT.contains(name.toLowerCase(Locale.ROOT));
    }

    /** True when the answer's header must not come into the message. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !RECEIVED.contains(name.toLowerCase(Locale.ROOT));
    }
}
