package io.reportpipes.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Crewmojo's report download API as its documentation and observed behaviour describe it: OAuth2 client
 * credentials at {@code /v1/oauth/token} (form or JSON; each new token invalidates every earlier token
 * of its client id), reports at {@code POST /v1/integrations/download/{reportId}} answered with the data
 * at once or with {@code {"success":"true","jobId":…}} for a long-running report, polled with
 * {@code GET …?jobId=…} until the data comes; a job expires 10 minutes after its request. Errors are
 * {@code {"success":"false","httpErrorCode":…,"errorMessage":…}} with 400, 401 or 500.
 */
public final class CrewmojoSandbox {

    public static final String TOKEN_PATH = "/v1/oauth/token";
    public static final String REPORT_PATH = "/v1/integrations/download/";
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    /** Misbehaviour to inject into the next answers of one call: token, report or poll. */
    public enum Fault {
        /** HTTP 500 with the vendor's "Error generating report" body. */
        HTTP_500,
        /** The client's current token stops being valid just before this call (as if another client took a new one). */
        INVALIDATE_TOKEN,
        /** The polled jobId has expired already (early): the poll is answered as for an expired job. */
        EXPIRE_JOB,
        /** The report's data stops halfway, in the middle of a record, as a complete response. */
        CUT_BODY
    }

    /** The faults chaos may pick for this call. */
    List<String> chaosFaults(HttpExchange exchange) {
        return switch (call(exchange)) {
            case "token" -> List.of("HTTP_500");
            case "report" -> List.of("HTTP_500", "INVALIDATE_TOKEN", "CUT_BODY");
            case "poll" -> List.of("HTTP_500", "INVALIDATE_TOKEN", "EXPIRE_JOB", "CUT_BODY");
            default -> List.of();
        };
    }

    /** Chaos picked one of this sandbox's faults for the call being served. */
    void injectNow(HttpExchange exchange, String fault) {
        faults.inject(call(exchange), Fault.valueOf(fault), 1);
    }

    private static String call(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return path.equals(TOKEN_PATH) ? "token" : !path.startsWith(REPORT_PATH) ? ""
                : "GET".equals(exchange.getRequestMethod()) ? "poll" : "report";
    }

    private record Token(String value, String clientId, long expiresAtNanos) {
    }

    private record Job(String id, CrewmojoReport report, String clientId, LocalDate start, LocalDate end, boolean json,
                       long readyAtNanos, long expiresAtNanos) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final long seed;
    private final Duration tokenLifetime;
    private final Duration jobExpiry;
    private final long defaultRows;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, Token> currentTokens = new ConcurrentHashMap<>();
    private final Map<String, Long> rows = new ConcurrentHashMap<>();
    /** Reports that answer a jobId, and how long their job runs (null: it never finishes). */
    private final Map<CrewmojoReport, Duration> slow = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<String> issued = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FaultPlan<Fault> faults = new FaultPlan<>();
    private volatile Duration forcedJobDuration = Duration.ofSeconds(30);
    private volatile LocalDate firstDate = LocalDate.of(2024, 1, 1);

    public CrewmojoSandbox(long seed, Duration tokenLifetime, Duration jobExpiry, long defaultRows) {
        this.seed = seed;
        this.tokenLifetime = tokenLifetime;
        this.jobExpiry = jobExpiry;
        this.defaultRows = defaultRows;
    }

    public CrewmojoSandbox addClient(String clientId, String clientSecret) {
        secrets.put(clientId, clientSecret);
        return this;
    }

    public CrewmojoSandbox rows(String reportId, long count) {
        rows.put(report(reportId).id(), count);
        return this;
    }

    /** Makes a report long-running: it answers a jobId whose data comes after {@code duration} (null: never). */
    public CrewmojoSandbox slow(String reportId, Duration duration) {
        slow.put(report(reportId), duration == null ? Duration.ofDays(3650) : duration);
        return this;
    }

    /** The first day of the two years of dates the reports' rows spread over (default 2024-01-01). */
    public CrewmojoSandbox firstDate(LocalDate date) {
        this.firstDate = date;
        return this;
    }

    /** How long a job forced by {@code "jobId": true} runs (the vendor says 30 seconds). */
    public CrewmojoSandbox forcedJobDuration(Duration duration) {
        this.forcedJobDuration = duration;
        return this;
    }

    /** The next {@code times} answers of {@code call} (token, report, poll) misbehave. */
    public void inject(String call, Fault fault, int times) {
        faults.inject(call, fault, times);
    }

    /** Counters: tokens (issued), reports (requests), polls, 401 (answers), 500 (answers). */
    public long count(String what) {
        return faults.counted(what);
    }

    /** Every token value issued so far, for tests that check none leaks. */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    /**
     * From the {@code from}-th call of token, report (the request) or poll on (1 = every call), answer with this
     * fixed body instead: a malformed answer of the bad-input corpus. Report and poll calls still need a token.
     */
    public CrewmojoSandbox serve(String call, long from, int status, String contentType, byte[] body) {
        faults.serve(call, from, status, contentType, body);
        return this;
    }

    public List<String> columns(String reportId) {
        return report(reportId).columns();
    }

    /** The rows a request for this window returns (both null: all). */
    public List<List<String>> expectedRecords(String reportId, Integer startDate, Integer endDate) {
        CrewmojoReport report = report(reportId);
        LocalDate start = startDate == null ? null : LocalDate.parse(startDate.toString(), YYYYMMDD);
        LocalDate end = endDate == null ? null : LocalDate.parse(endDate.toString(), YYYYMMDD);
        List<List<String>> records = new java.util.ArrayList<>();
        long count = rowCount(report);
        for (long i = 0; i < count; i++) {
            if (inWindow(i, count, start, end)) {
                records.add(report.row(seed, i, count, firstDate));
            }
        }
        return records;
    }

    private static CrewmojoReport report(String reportId) {
        return CrewmojoReport.of(reportId).orElseThrow(() -> new IllegalArgumentException("no report " + reportId));
    }

    private long rowCount(CrewmojoReport report) {
        return rows.getOrDefault(report.id(), defaultRows);
    }

    private boolean inWindow(long index, long count, LocalDate start, LocalDate end) {
        LocalDate date = CrewmojoReport.date(index, count, firstDate);
        return start == null || (!date.isBefore(start) && !date.isAfter(end));
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals(TOKEN_PATH) && "POST".equals(exchange.getRequestMethod())) {
            token(exchange);
        } else if (path.startsWith(REPORT_PATH) && path.length() > REPORT_PATH.length()) {
            report(exchange, path.substring(REPORT_PATH.length()));
        } else {
            error(exchange, 400, "Invalid data received");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        try {
            if (contentType.contains("json")) {
                json.readTree(body).fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
            } else {
                for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        faults.count("token");
        if (faults.answerWithFixture("token", exchange)) {
            return;
        }
        if (faults.take("token", Fault.HTTP_500)) {
            error(exchange, 500, "Error generating report");
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        String clientId = form.getOrDefault("client_id", "");
        String secret = secrets.get(clientId);
        if (secret == null || !secret.equals(form.get("client_secret"))) {
            error(exchange, 401, "Unauthorized");
            return;
        }
        // a new token invalidates every earlier token of this client id
        Token token = new Token(UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString()
                .replace("-", ""), clientId, System.nanoTime() + tokenLifetime.toNanos());
        currentTokens.put(clientId, token);
        issued.add(token.value());
        faults.count("tokens");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token.value());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", tokenLifetime.toSeconds());
        SandboxServer.send(exchange, 200, "application/json", json.writeValueAsBytes(answer));
    }

    /** The client whose current, unexpired token this request carries, or null. */
    private String authorised(HttpExchange exchange, String call) {
        String header = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String presented = header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        Token token = currentTokens.values().stream().filter(t -> t.value().equals(presented)).findFirst().orElse(null);
        if (token != null && faults.take(call, Fault.INVALIDATE_TOKEN)) {
            currentTokens.remove(token.clientId(), token);
            token = null;
        }
        return token == null || System.nanoTime() > token.expiresAtNanos() ? null : token.clientId();
    }

    private void report(HttpExchange exchange, String reportId) throws IOException {
        boolean poll = "GET".equals(exchange.getRequestMethod());
        String call = poll ? "poll" : "report";
        faults.count(call);
        String clientId = authorised(exchange, call);
        if (clientId == null) {
            faults.count("401");
            error(exchange, 401, "Unauthorized");
            return;
        }
        if (faults.answerWithFixture(call, exchange)) {
            return;
        }
        if (faults.take(call, Fault.HTTP_500)) {
            faults.count("500");
            error(exchange, 500, "Error generating report");
            return;
        }
        CrewmojoReport report = CrewmojoReport.of(reportId).orElse(null);
        if (report == null) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        if (poll) {
            poll(exchange, report, clientId);
        } else if ("POST".equals(exchange.getRequestMethod())) {
            request(exchange, report, clientId);
        } else {
            error(exchange, 400, "Invalid data received");
        }
    }

    private void request(HttpExchange exchange, CrewmojoReport report, String clientId) throws IOException {
        JsonNode body;
        try {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        LocalDate start;
        LocalDate end;
        try {
            start = date(body.get("startDate"));
            end = date(body.get("endDate"));
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        String contentType = body.path("contentType").asText("csv");
        if ((start == null) != (end == null) || (start != null && start.isAfter(end))
                || !(contentType.equals("csv") || contentType.equals("json"))
                || (body.has("jobId") && !body.get("jobId").isBoolean())) {
            error(exchange, 400, "Invalid data received");
            return;
        }
        boolean json = contentType.equals("json");
        Duration duration = body.path("jobId").asBoolean(false) ? forcedJobDuration : slow.get(report);
        if (duration == null) {
            data(exchange, report, start, end, json, faults.take("report", Fault.CUT_BODY));
            return;
        }
        long now = System.nanoTime();
        Job job = new Job(UUID.randomUUID().toString().replace("-", ""), report, clientId, start, end, json,
                now + Math.min(duration.toNanos(), Long.MAX_VALUE / 4), now + jobExpiry.toNanos());
        jobs.put(job.id(), job);
        jobAnswer(exchange, job);
    }

    private void poll(HttpExchange exchange, CrewmojoReport report, String clientId) throws IOException {
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        String jobId = query.startsWith("jobId=") ? query.substring("jobId=".length()) : "";
        if (faults.take("poll", Fault.EXPIRE_JOB)) {
            jobs.remove(jobId);
        }
        Job job = jobs.get(jobId);
        if (job == null || job.report() != report || !job.clientId().equals(clientId)
                || System.nanoTime() > job.expiresAtNanos()) {
            // an unknown or expired jobId
            error(exchange, 400, "Invalid data received");
            return;
        }
        if (System.nanoTime() < job.readyAtNanos()) {
            jobAnswer(exchange, job);
            return;
        }
        data(exchange, report, job.start(), job.end(), job.json(), faults.take("poll", Fault.CUT_BODY));
    }

    private void jobAnswer(HttpExchange exchange, Job job) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", "true");
        answer.put("jobId", job.id());
        SandboxServer.send(exchange, 200, "application/json", json.writeValueAsBytes(answer));
    }

    /** Streams the report's rows in the window as CSV (header first) or as a JSON array of objects. */
    /** The report's rows, streamed; with {@code cut}, only the first half and then part of a record. */
    private void data(HttpExchange exchange, CrewmojoReport report, LocalDate start, LocalDate end, boolean asJson,
                      boolean cut) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", asJson ? "application/json" : "text/csv");
        exchange.sendResponseHeaders(200, 0);
        long count = rowCount(report);
        long cutAt = cut ? count / 2 : Long.MAX_VALUE;
        try (OutputStream out = exchange.getResponseBody();
             Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            if (asJson) {
                try (JsonGenerator generator = json.getFactory().createGenerator(writer)
                        .configure(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT, !cut)) {
                    generator.writeStartArray();
                    for (long i = 0; i < count; i++) {
                        if (i == cutAt) {
                            generator.writeRaw(",{\"" + report.columns().get(0) + "\":\"12");
                            return;
                        }
                        if (inWindow(i, count, start, end)) {
                            List<String> values = report.row(seed, i, count, firstDate);
                            generator.writeStartObject();
                            for (int c = 0; c < values.size(); c++) {
                                generator.writeStringField(report.columns().get(c), values.get(c));
                            }
                            generator.writeEndObject();
                        }
                    }
                    generator.writeEndArray();
                }
            } else {
                CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180);
                printer.printRecord(report.columns());
                for (long i = 0; i < count; i++) {
                    if (i == cutAt) {
                        printer.flush();
                        writer.write("12,Zo");
                        return;
                    }
                    if (inWindow(i, count, start, end)) {
                        printer.printRecord(report.row(seed, i, count, firstDate));
                    }
                }
                printer.flush();
            }
        }
    }

    /** A yyyymmdd number, or null when absent. */
    private static LocalDate date(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt()) {
            throw new IllegalArgumentException("not a yyyymmdd number");
        }
        try {
            return LocalDate.parse(Integer.toString(node.asInt()), YYYYMMDD);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date", e);
        }
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", "false");
        answer.put("httpErrorCode", status);
        answer.put("errorMessage", message);
        SandboxServer.send(exchange, status, "application/json", json.writeValueAsBytes(answer));
    }
}
