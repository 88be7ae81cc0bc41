package io.reportpipes.delivery;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The JMS sink's connections: Artemis over tcp, one connection kept open and its sessions reused (without it
 * camel-jms opens a connection per message). Made only when a job delivers to a {@code jms:} URI, so that a pod
 * without a JMS sink (a Pipe to S3) needs neither camel-jms nor the Artemis client.
 */
public final class ArtemisConnections {

    private ArtemisConnections() {
    }

    /**
     * @param minLargeMessageSize bytes above which Artemis streams a message as a "large message"
     * @param sessionCacheSize    sessions kept for reuse
     */
    public static void configure(CamelContext context, String brokerUrl, String user, String password,
                                 int minLargeMessageSize, int sessionCacheSize) {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(brokerUrl,
                user.isEmpty() ? null : user, password.isEmpty() ? null : password);
        artemis.setMinLargeMessageSize(minLargeMessageSize);
        CachingConnectionFactory cached = new CachingConnectionFactory(artemis);
        cached.setSessionCacheSize(sessionCacheSize);
        context.getComponent("jms", JmsComponent.class).setConnectionFactory(cached);
    }
}
