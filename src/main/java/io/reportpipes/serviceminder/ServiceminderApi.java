package io.reportpipes.serviceminder;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Body;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.jobs.DateWindow;
import io.reportpipes.jobs.PermanentJobException;
import io.reportpipes.jobs.TransientJobException;
import io.reportpipes.jobs.RunEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Speaks serviceminder's Download API: builds the JSON payloads (the only place the API key is
 * written) and reads the JSON envelopes ({@code ResultCode}, {@code Message}). Non-zero result codes
 * become {@link ServiceminderException}s; a queue-full answer becomes a {@link QueueFullException},
 * which the routes wait out.
 */
public final class ServiceminderApi {

    private static final Logger LOG = LoggerFactory.getLogger("serviceminder");
    private final ObjectMapper json = new ObjectMapper();
    private final String readyField;
    private final String readyValue;
    private final Pattern queueFull;
    private final Pattern tryAgain;
    private final DateTimeFormatter dates;
    private final String backfillFilter;
    private final RunEvents events;

    /**
     * @param readyField     the status answer's field that says the download is done (default {@code Ready})
     * @param readyValue     its value when done (default {@code true})
     * @param queueFull      matches the {@code Message} of a queue-full answer
     * @param dates          how the vendor reads a datetime
     * @param backfillFilter the date filter a backfill window sets: Created, Updated or Date
     * @param events        counts the status calls
     */
    /**
     * @param queueFull  tells a queue-full refusal (waited out) from other refusals
     * @param tryAgain   tells a passing failure on serviceminder's side (retried) from a refusal (the job fails)
     */
    public ServiceminderApi(String readyField, String readyValue, Pattern queueFull, Pattern tryAgain,
                            DateTimeFormatter dates, String backfillFilter, RunEvents events) {
        this.readyField = readyField;
        this.readyValue = readyValue;
        this.queueFull = queueFull;
        this.tryAgain = tryAgain;
        this.dates = dates;
        this.backfillFilter = backfillFilter;
        this.events = events;
    }

    public String startDownloadRequest(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        ServiceminderJob job = run.getJob();
        ObjectNode body = json.createObjectNode();
        body.put("ApiKey", job.apiKey());
        body.put("Kind", job.kind());
        body.put("UserId", job.userId());
        body.put("RowId", run.getRowId());
        if (run.getUpdatedFrom() != null) {
            body.put("UpdatedFrom", run.getUpdatedFrom());
        }
        for (Map.Entry<String, Object> field : job.fields().entrySet()) {
            body.set(field.getKey(), json.valueToTree(field.getValue()));
        }
        if (run.getBackfill() != null) {
            // the window's first day from 00:00:00 through its last day at 23:59:59 (replaces the job's own filter)
            DateWindow window = run.getBackfill().window();
            body.put(backfillFilter + "From", dates.format(window.start().atStartOfDay()));
            body.put(backfillFilter + "Through", dates.format(window.end().atTime(23, 59, 59)));
        }
        return json.writeValueAsString(body);
    }

    /** The body of downloadstatus and getdownload. */
    public String downloadRequest(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("ApiKey", run.getJob().apiKey());
        body.put("DownloadId", run.getDownloadId());
        return json.writeValueAsString(body);
    }

    public void readStarted(@Body String answer, @ExchangeProperty("jobRun") ServiceminderRun run) {
        JsonNode body = envelope("startdownload", answer, run);
        String downloadId = body.path("DownloadId").asText("");
        if (downloadId.isEmpty()) {
            throw new TransientJobException("serviceminder startdownload for " + run.getJobId()
                    + " answered ResultCode 0 without a DownloadId");
        }
        run.downloadStarted(downloadId);
        LOG.debug("{} page {}: download {} queued (RowId {})", run.getJobId(), run.getPage(), downloadId, run.getRowId());
    }

    public void readStatus(@Body String answer, @ExchangeProperty("jobRun") ServiceminderRun run) {
        events.polled(run);
        JsonNode body = envelope("downloadstatus", answer, run);
        boolean ready = readyValue.equalsIgnoreCase(body.path(readyField).asText(""));
        run.statusAnswered(ready);
        if (ready) {
            // the page's line, once it is delivered, says it too
            LOG.debug("{} page {}: download {} queued -> ready after {} status call(s)", run.getJobId(),
                    run.getPage(), run.getDownloadId(), run.getStatusCalls());
        } else {
            LOG.debug("{} page {}: download {} not ready yet", run.getJobId(), run.getPage(), run.getDownloadId());
        }
    }

    /**
     * The status of a download queued before a restart. serviceminder no longer knowing it (a refusal
     * other than a full queue) is no failure: the page starts again with a new download.
     */
    public void readResumedStatus(@Body String answer, @ExchangeProperty("jobRun") ServiceminderRun run) {
        try {
            readStatus(answer, run);
        } catch (ServiceminderException e) {
            LOG.warn("{} page {}: download {} from before the restart is not usable any more ({}); starting the page "
                    + "again", run.getJobId(), run.getPage(), run.getDownloadId(), e.getMessage());
            run.downloadLost();
        }
    }

    /** getdownload answered JSON instead of CSV: it is an error envelope, say what it says. */
    public void readDownloadError(@Body String answer, @ExchangeProperty("jobRun") ServiceminderRun run) {
        envelope("getdownload", answer, run);
        throw new TransientJobException("serviceminder getdownload for " + run.getJobId() + " page " + run.getPage()
                + " answered JSON with ResultCode 0 instead of the CSV");
    }

    private JsonNode envelope(String call, String answer, ServiceminderRun run) {
        String where = "serviceminder " + call + " for " + run.getJobId() + " page " + run.getPage();
        if (answer == null || answer.isBlank()) {
            throw new TransientJobException(where + " answered an empty body; serviceminder answers an empty "
                    + "200 to an unknown path, so check serviceminder.base-url");
        }
        JsonNode body;
        try {
            body = json.readTree(answer);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.has("ResultCode")) {
            throw new TransientJobException(where + " answered " + describe(answer)
                    + " instead of a JSON ResultCode envelope; a proxy or an outage page is likely");
        }
        int code = body.path("ResultCode").asInt(-1);
        if (code != 0) {
            String message = body.path("Message").asText("");
            if (queueFull.matcher(message).find()) {
                throw new QueueFullException(where + " was refused, the organisation's download queue is full: "
                        + message);
            }
            if (tryAgain.matcher(message).find()) {
                throw new TransientJobException(where + " failed on serviceminder's side (ResultCode " + code + ": "
                        + message + "); retried");
            }
            throw new ServiceminderException(where + " was refused with ResultCode " + code + ": " + message);
        }
        return body;
    }

    /** A short, safe description of an unexpected answer: its kind and first characters, never all of it. */
    static String describe(String answer) {
        String trimmed = answer.strip();
        String kind = trimmed.startsWith("<") ? "an HTML page" : "a non-JSON body";
        String start = trimmed.length() > 80 ? trimmed.substring(0, 80) + "…" : trimmed;
        return kind + " (" + answer.length() + " chars, starting '" + start.replaceAll("\\s+", " ") + "')";
    }

    /** A refusal by the vendor (non-zero ResultCode): the key, the UserId or the payload must change. */
    public static final class ServiceminderException extends PermanentJobException {
        public ServiceminderException(String message) {
            super(message);
        }
    }

    /** The organisation's queue holds 100 downloads already: wait for the vendor and start again. */
    public static final class QueueFullException extends TransientJobException {
        public QueueFullException(String message) {
            super(message);
        }
    }
}
