package io.reportpipes.delivery;

import io.reportpipes.jobs.NumberText;
import io.reportpipes.jobs.JobRun;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers a delivered unit carries, whatever the sink: its deterministic key under each
 * component's own header (file name, S3 object key) and its metadata (S3 object metadata, and
 * {@code ReportPipes*} headers for sinks that pass headers on). Nothing secret, nothing from the
 * vendor's answer.
 */
public final class DeliveryHeaders {

    public static final String KEY = "ReportPipesKey";
    private final String keyPrefix;

    public DeliveryHeaders(String keyPrefix) {
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
    }

    /** For the page the run is on. */
    public void page(Exchange exchange, @ExchangeProperty("jobRun") JobRun run) {
        Map<String, String> metadata = metadata(run);
        metadata.put("page", Integer.toString(run.getPage()));
        metadata.put("rows", Long.toString(run.getPageRows()));
        set(exchange.getMessage(), keyPrefix + run.getPageKey(), run.getTransform().contentType(), metadata);
    }

    /** For one message of json-records: the page's headers, its own key and its record count. */
    public void batch(Exchange exchange, @ExchangeProperty("jobRun") JobRun run) {
        RecordBatches.Batch batch = exchange.getMessage().getBody(RecordBatches.Batch.class);
        Map<String, String> metadata = metadata(run);
        metadata.put("page", Integer.toString(run.getPage()));
        metadata.put("batch", Integer.toString(batch.number()));
        metadata.put("rows", Integer.toString(batch.rows()));
        set(exchange.getMessage(), keyPrefix + run.getPageKey() + "#batch-" + NumberText.fiveDigits(batch.number()),
                run.getTransform().contentType(), metadata);
        exchange.getMessage().setBody(batch.json());
    }

    /** For the run's done marker, written once every page is delivered. */
    public void doneMarker(Exchange exchange, @ExchangeProperty("jobRun") JobRun run) {
        Map<String, String> metadata = metadata(run);
        metadata.put("done", "true");
        metadata.put("pages", Integer.toString(run.getPages()));
        metadata.put("rows", Long.toString(run.getRows()));
        set(exchange.getMessage(), keyPrefix + run.getDoneMarkerKey(), "application/json", metadata);
    }

    private static Map<String, String> metadata(JobRun run) {
        return new LinkedHashMap<>(run.getMetadata());
    }

    private static void set(Message message, String key, String contentType, Map<String, String> metadata) {
        message.setHeader(Exchange.FILE_NAME, key);
        message.setHeader("CamelAwsS3Key", key);
        message.setHeader("CamelAwsS3ContentType", contentType);
        message.setHeader("CamelAwsS3Metadata", metadata);
        message.setHeader(KEY, key);
        // the catalog's sink Kamelets (aws-s3-sink, ...) take a unit's name from "file"
        message.setHeader("file", key);
        // Artemis drops a message whose duplicate id it has seen: a redelivered unit is not doubled
        message.setHeader("_AMQ_DUPL_ID", key);
        metadata.forEach((name, value) -> message.setHeader("ReportPipes" + Character.toUpperCase(name.charAt(0))
                + name.substring(1), value));
    }
}
