package io.reportpipes.jobs;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Each call a vendor-retries route makes (a vendor call, a delivery) has its own retries. Camel's error handler
 * counts a step's retries in the message's CamelRedelivered / CamelRedeliveryCounter / CamelRedeliveryMaxCounter
 * headers, goes on from the count it finds there, and leaves them once the step succeeds: the next call on the same
 * exchange would start with the retries already spent. Every route of the {@value #ROUTE_CONFIGURATION} route
 * configuration gets a policy that removes them when the call returns without an error; a failed call keeps them,
 * so its caller's retries go on counting. (A route policy because Camel has no "after this route" step: a route's
 * onCompletion runs when the whole exchange is done, and interceptSendToEndpoint wraps an endpoint for every route
 * that sends to it.)
 */
public final class CallRetryCounts implements RoutePolicyFactory {

    /** The route configuration of the calls a vendor-retries route retries as a whole. */
    public static final String ROUTE_CONFIGURATION = "retried-call";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return route instanceof RouteDefinition definition
                && ROUTE_CONFIGURATION.equals(definition.getRouteConfigurationId()) ? new ClearOnReturn() : null;
    }

    private static final class ClearOnReturn extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getException() == null) {
                Message message = exchange.getIn();
                message.removeHeader(Exchange.REDELIVERED);
                message.removeHeader(Exchange.REDELIVERY_COUNTER);
                message.removeHeader(Exchange.REDELIVERY_MAX_COUNTER);
            }
        }
    }
}
