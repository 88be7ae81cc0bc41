package io.reportpipes.crewmojo;

import io.reportpipes.jobs.DateWindow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.delivery.PageSpooler.SpooledPage;
import io.reportpipes.jobs.PermanentJobException;
import io.reportpipes.jobs.TransientJobException;
import io.reportpipes.jobs.RunEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Speaks Crewmojo's API for the routes: the token request (the only place the client secret is
 * written), the Authorization header, the report request body, and what an answer means: data
 * (spooled to disk while checked), a jobId, or an error envelope {@code {"success":"false",
 * "httpErrorCode":…,"errorMessage":…}}, turned into an exception that says what to do.
 */
public final class CrewmojoApi {

    /** The route that asks the vendor for a token: {@code crewmojo-fetch-token}. */
    static final String TOKEN_ROUTE = "direct:crewmojo-fetch-token";
    /** The exchange property that tells the token route which client it is fetching for. */
    static final String CLIENT = "crewmojoClient";
    private static final Logger LOG = LoggerFactory.getLogger("crewmojo");
    /** Answers that are not data are small; more than this is not an envelope. */
    private static final int ENVELOPE_LIMIT = 64 * 1024;
    private final ObjectMapper json = new ObjectMapper();
    private final CamelContext context;
    private final PageSpooler spooler;
    private final ReportPolling polling;
    private final CrewmojoTokens tokens;
    private final RunEvents events;
    private volatile ProducerTemplate template;

    /** @param tokens the token cache (this process's, or the cluster's), given the call that fetches a token */
    public CrewmojoApi(CamelContext context, PageSpooler spooler, ReportPolling polling,
                       TokenCache tokens, RunEvents events) throws Exception {
        this.context = context;
        this.spooler = spooler;
        this.polling = polling;
        this.events = events;
        this.tokens = tokens.create(this::fetchToken);
    }

    /** Makes the token cache around the call that fetches a token. */
    @FunctionalInterface
    public interface TokenCache {
        CrewmojoTokens create(CrewmojoTokens.TokenSource source) throws Exception;
    }

    // --- tokens ---------------------------------------------------------------------------------------

    /** Asks the vendor for a token through the crewmojo-fetch-token route (camel-http), for the token cache. */
    CrewmojoTokens.Token fetchToken(CrewmojoClient client) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(client.clientId(),
                StandardCharsets.UTF_8) + "&client_secret=" + URLEncoder.encode(client.clientSecret(),
                StandardCharsets.UTF_8);
        Exchange answer = template().send(TOKEN_ROUTE, exchange -> {
            exchange.setProperty(CLIENT, client);
            exchange.getMessage().setBody(form);
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        return answer.getMessage().getMandatoryBody(CrewmojoTokens.Token.class);
    }

    /** Reads the token endpoint's answer; never logs it (it holds the token). */
    public CrewmojoTokens.Token readToken(Exchange exchange, @ExchangeProperty(CLIENT) CrewmojoClient client)
            throws IOException {
        int status = status(exchange);
        String where = "Crewmojo's token endpoint, for " + client;
        JsonNode body = small(exchange.getMessage().getBody(InputStream.class), where);
        if (status == 400 || status == 401) {
            throw new PermanentJobException(where + ", refused the credentials (HTTP " + status + " "
                    + message(body) + "): check the client id and " + client.secretSetting());
        }
        if (status != 200) {
            throw failure(status, where + " failed: HTTP " + status + " " + message(body));
        }
        String token = body == null ? "" : body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new TransientJobException(where + ", answered without an access_token (fields: "
                    + (body == null ? "none, not JSON" : String.join(",", iterable(body.fieldNames()))) + ")");
        }
        long seconds = body.path("expires_in").asLong(1800);
        LOG.info("{}: new access token, valid {}s", client, seconds);
        events.tokenFetched(client.name());
        return CrewmojoTokens.Token.issued(token, Duration.ofSeconds(seconds));
    }

    /** Sets {@code Authorization: Bearer …} with the client's shared token (fetching one if needed). */
    public void authorize(Exchange exchange, @ExchangeProperty("jobRun") CrewmojoRun run) throws Exception {
        String token = tokens.token(run.getJob().client());
        run.setTokenInUse(token);
        exchange.getMessage().setHeader("Authorization", "Bearer " + token);
    }

    // --- reports --------------------------------------------------------------------------------------

    /** The POST body: the window's dates (both or neither, yyyymmdd numbers) and the content type. */
    public String reportRequest(@ExchangeProperty("jobRun") CrewmojoRun run) throws IOException {
        ObjectNode body = json.createObjectNode();
        DateWindow dates = run.getDates();
        if (dates != null) {
            if (dates.isEmpty()) {
                throw new PermanentJobException(run.getJobId() + ": window " + dates + " starts after it ends");
            }
            body.put("startDate", dates.startNumber());
            body.put("endDate", dates.endNumber());
        }
        body.put("contentType", run.getJob().json() ? "json" : "csv");
        run.requested();
        LOG.debug("{}: requesting report {} ({})", run.getJobId(), run.getReport(), dates == null ? "all dates" : dates);
        return json.writeValueAsString(body);
    }

    /**
     * What a report request or a jobId poll answered: the data (spooled and checked), a jobId (still
     * running), or an error: 401 drops the token and retries the call once with a new one; 400 fails
     * the job (or, for a poll, gives the jobId up); 5xx and 429 are retried by the route.
     */
    public void readAnswer(Exchange exchange, @ExchangeProperty("jobRun") CrewmojoRun run) throws IOException {
        boolean poll = run.getReportJobId() != null;
        String where = poll ? "Crewmojo poll of jobId " + run.getReportJobId() + " for " + run.getJobId()
                : "Crewmojo request of " + run.getJobId();
        int status = status(exchange);
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (poll) {
            events.polled(run);
        }
        if (status == 401) {
            if (body != null) {
                body.close();
            }
            tokenRejected(run, where);
        }
        run.setTokenRefreshed(false);
        if (status != 200) {
            refused(run, where, poll, status, message(small(body, where)));
            return;
        }
        BufferedInputStream in = new BufferedInputStream(body == null ? InputStream.nullInputStream() : body, 1 << 16);
        if (startsWithObject(in)) {
            jobAnswer(run, where, poll, small(in, where));
            return;
        }
        SpooledPage page = run.getJob().json() ? spooler.spoolJsonArray(in, where)
                : spooler.spool(in, where, null, 0, Long.MAX_VALUE, null, run);
        run.pageSpooled(page.file(), page.rows(), page.bytes());
        if (poll) {
            LOG.info("{}: jobId {} running -> done after {} poll(s)", run.getJobId(), run.getReportJobId(),
                    run.getPolls() + 1);
        }
        run.dataSpooled();
    }

    /** A 200 with a JSON object: the jobId of a report still running, or an error envelope. */
    private void jobAnswer(CrewmojoRun run, String where, boolean poll, JsonNode body) {
        String success = body == null ? "" : body.path("success").asText("");
        String jobId = body == null ? "" : body.path("jobId").asText("");
        if ("true".equals(success) && !jobId.isEmpty()) {
            if (poll) {
                run.polled();
                LOG.debug("{}: jobId {} still running", run.getJobId(), jobId);
            } else {
                run.jobAnswered(jobId);
                LOG.info("{}: report is long-running, polling jobId {}", run.getJobId(), jobId);
            }
            return;
        }
        if ("false".equals(success)) {
            refused(run, where, poll, body.path("httpErrorCode").asInt(500), message(body));
            return;
        }
        throw new PageSpooler.BadPageException(where + " answered a JSON object that is neither the report's data "
                + "nor a jobId (fields: " + (body == null ? "none" : String.join(",", iterable(body.fieldNames())))
                + ")");
    }

    private void refused(CrewmojoRun run, String where, boolean poll, int status, String message) {
        if (poll && status == 400) {
            // an expired or unknown jobId: the report must be requested again
            run.polled();
            polling.giveUp(run, "refused by Crewmojo (400 " + message + "), expired or unknown");
            return;
        }
        if (status == 400) {
            throw new PermanentJobException(where + " was refused (400 " + message + "): Crewmojo did not accept "
                    + "report '" + run.getReport() + "' with " + (run.getDates() == null ? "no dates"
                    + "" : "dates " + run.getDates()) + "; check that the client may use this report id (crewmojo.client."
                    + run.getAccount() + ".reports) and its window settings");
        }
        throw failure(status, where + " failed: HTTP " + status + " " + message);
    }

    private void tokenRejected(CrewmojoRun run, String where) throws IOException {
        CrewmojoClient client = run.getJob().client();
        tokens.rejected(client, run.getTokenInUse());
        if (run.isTokenRefreshed()) {
            throw new PermanentJobException(where + " was refused (401 Unauthorized) again with a new token: "
                    + client + " may have lost access to this report; check with Crewmojo");
        }
        run.setTokenRefreshed(true);
        LOG.info("{}: the token was refused (401); the call is retried once with a new token", run.getJobId());
        throw new TokenRejectedException(where + " was refused (401 Unauthorized) with the current token");
    }

    /** 5xx and 429 may pass; anything else will not. */
    private static RuntimeException failure(int status, String message) {
        return status >= 500 || status == 429 ? new TransientJobException(message) : new PermanentJobException(message);
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    private static boolean startsWithObject(BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        return new String(head, StandardCharsets.UTF_8).strip().startsWith("{");
    }

    /** A small JSON answer (an envelope or a token), or null when it is not JSON. Never the whole of a large body. */
    private JsonNode small(InputStream body, String where) throws IOException {
        if (body == null) {
            return null;
        }
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(ENVELOPE_LIMIT + 1);
            if (bytes.length > ENVELOPE_LIMIT) {
                throw new PageSpooler.BadPageException(where + " answered more than " + ENVELOPE_LIMIT
                        + " bytes of JSON where an envelope or a jobId was due");
            }
            return json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** The envelope's errorMessage, or what the body was when it is no envelope. */
    private static String message(JsonNode body) {
        if (body == null) {
            return "(no JSON error body; a proxy or an outage page is likely)";
        }
        String message = body.path("errorMessage").asText("");
        return message.isEmpty() ? "(no errorMessage)" : message;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        return () -> names;
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }

    /** The vendor refused the token the call carried: it is retried once with a new token. */
    public static final class TokenRejectedException extends TransientJobException {
        public TokenRejectedException(String message) {
            super(message);
        }
    }
}
