package io.reportpipes.jobs;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeExtension;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code job-pages:<name>?job=#<source>}: a source Kamelet's job as a Camel consumer, so that the Kamelet reads as
 * the catalog's do ({@code from} → steps → {@code kamelet:sink}). The consumer fires the job on its schedule (a
 * quartz trigger) and runs it through {@code direct:run-job}, the same flow as a job of application.properties,
 * with this endpoint as the job's sink: each page the flow delivers, then the run's done marker, comes into the
 * consumer's route as a {@code direct:} call would, on the run's exchange. So a page counts as delivered (and is
 * checkpointed) once that route's sink took it, and a sink's failure goes back to the flow's retries.
 */
public final class JobPagesComponent extends DefaultComponent {

    /** The name the component is added under (ReportPipesConfiguration). */
    public static final String SCHEME = "job-pages";
    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    /** The engine's entry: one run of a job (routes/jobs.camel.yaml). */
    private static final String RUN_JOB = "direct:run-job";

    private final Map<String, PagesConsumer> consumers = new ConcurrentHashMap<>();

    /** The sink URI of a Kamelet route's job: its pages come back to that route. */
    public static String sinkUri(String name) {
        return SCHEME + ":" + name;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PagesEndpoint endpoint = new PagesEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The endpoint: {@code job} is the Kamelet's source bean (consumer only). */
    public static final class PagesEndpoint extends DefaultEndpoint {

        private final String name;
        private KameletSource job;

        PagesEndpoint(String uri, JobPagesComponent component, String name) {
            super(uri, component);
            this.name = name;
        }

        public void setJob(KameletSource job) {
            this.job = job;
        }

        @Override
        public JobPagesComponent getComponent() {
            return (JobPagesComponent) super.getComponent();
        }

        @Override
        public Producer createProducer() {
            return new PagesProducer(this);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            if (job == null) {
                throw new IllegalArgumentException(getEndpointUri() + ": the job=#<bean> of the Kamelet is missing");
            }
            PagesConsumer consumer = new PagesConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /** Fires the job on its schedule; the pages of its runs are processed by this consumer's route. */
    static final class PagesConsumer extends DefaultConsumer {

        private final PagesEndpoint endpoint;
        private Consumer trigger;
        private AsyncProducer runJob;

        PagesConsumer(PagesEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
            this.endpoint = endpoint;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            var context = endpoint.getCamelContext();
            runJob = context.getEndpoint(RUN_JOB).createAsyncProducer();
            trigger = context.getEndpoint("quartz:report-pipes-kamelet/" + endpoint.name,
                    Map.of("cron", endpoint.job.schedule())).createConsumer(this::fire);
            ServiceHelper.startService(runJob, trigger);
            if (endpoint.getComponent().consumers.putIfAbsent(endpoint.name, this) != null) {
                ServiceHelper.stopService(trigger, runJob);
                throw new IllegalStateException("Two routes from job-pages:" + endpoint.name);
            }
        }

        /** One run, on the trigger's exchange (the job is built, and its properties checked, at the first fire). */
        private void fire(Exchange exchange) throws Exception {
            Job job;
            try {
                job = endpoint.job.job(exchange.getContext());
            } catch (IllegalArgumentException invalid) {
                // the message lists every problem (no secret values); it comes again at each fire until mended
                LOG.error(invalid.getMessage());
                return;
            }
            exchange.getMessage().setBody(job);
            runJob.process(exchange);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(trigger, runJob);
            endpoint.getComponent().consumers.remove(endpoint.name, this);
            super.doStop();
        }
    }

    /** Hands a page to the consumer's route, on the caller's exchange and thread, as direct: does. */
    static final class PagesProducer extends DefaultAsyncProducer {

        private final PagesEndpoint endpoint;

        PagesProducer(PagesEndpoint endpoint) {
            super(endpoint);
            this.endpoint = endpoint;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            PagesConsumer consumer = endpoint.getComponent().consumers.get(endpoint.name);
            if (consumer == null) {
                exchange.setException(new IllegalStateException("No route from job-pages:" + endpoint.name
                        + " is running: the page is not delivered"));
                callback.done(true);
                return true;
            }
            return consumer.getAsyncProcessor().process(exchange, sync -> {
                // the route after the Kamelet (a Pipe's, a user's) has an error handler of its own, which marks a
                // failed exchange handled and exhausted; the page is the flow's to retry (vendor-retries), as any
                // job's sink is
                if (exchange.getException() != null) {
                    ExchangeExtension failure = exchange.getExchangeExtension();
                    failure.setRedeliveryExhausted(false);
                    failure.setErrorHandlerHandled(null);
                    failure.setFailureHandled(false);
                }
                callback.done(sync);
            });
        }
    }
}
