package io.reportpipes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.reportpipes.delivery.CsvLine;
import org.apache.commons.csv.CSVFormat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * serviceminder's organisation-level Download API, strictly as its documentation and observed behaviour
 * describe it: {@code POST /api/download/startdownload | downloadstatus | getdownload}, JSON bodies with the
 * {@code ApiKey}, JSON answers with {@code ResultCode} (0 = ok) and {@code Message}, errors as HTTP 200,
 * at most 100 queued (started, not yet fetched) downloads per organisation, pages of at most 25,000 rows
 * with {@code Id >= RowId}, an unknown path answered by an empty 200.
 */
public final class ServiceminderSandbox {

    public static final String PATH = "/api/download/";
    public static final int PAGE_LIMIT = 25_000;

    public static final int OK = 0;
    public static final int INVALID_API_KEY = 1;
    public static final int INVALID_REQUEST = 2;
    public static final int QUEUE_FULL = 3;
    public static final int UNKNOWN_DOWNLOAD = 4;
    public static final int NOT_READY = 5;

    /** Misbehaviour to inject into the next answers of one endpoint. */
    public enum Fault {
        /** HTTP 500 with the vendor's JSON error envelope. */
        HTTP_500,
        /** A queue-full {@code ResultCode} answer to startdownload, whatever the queue holds. */
        QUEUE_FULL,
        /** An HTML page with status 200, as a proxy or login page would send. */
        HTML_PAGE,
        /** Status 200 and no body at all. */
        EMPTY_BODY,
        /** A CSV whose header has no {@code Id} column. */
        NO_ID_COLUMN,
        /** A CSV cut short in the middle of a row, sent as a complete response. */
        TRUNCATED_ROW,
        /** The connection closes after part of the body, short of the announced Content-Length. */
        CUT_CONNECTION,
        /** HTTP 200 with ResultCode 99, "An error has occurred. Please try again later." */
        TRY_AGAIN,
        /** downloadstatus answers not ready once more, whatever the download's state. */
        NOT_READY_ONCE
    }

    /** The faults chaos may pick for this call: those of its endpoint. */
    List<String> chaosFaults(HttpExchange exchange) {
        return switch (endpoint(exchange)) {
            case "startdownload" -> List.of("HTTP_500", "TRY_AGAIN", "QUEUE_FULL");
            case "downloadstatus" -> List.of("HTTP_500", "TRY_AGAIN", "NOT_READY_ONCE");
            case "getdownload" -> List.of("HTTP_500", "TRY_AGAIN", "EMPTY_BODY", "TRUNCATED_ROW", "CUT_CONNECTION");
            default -> List.of();
        };
    }

    /** Chaos picked one of this sandbox's faults for the call being served. */
    void injectNow(HttpExchange exchange, String fault) {
        faults.inject(endpoint(exchange), Fault.valueOf(fault), 1);
    }

    private static String endpoint(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().substring(PATH.length());
    }

    /** An organisation the sandbox knows: its API key (Status "Org") and the users allowed to run reports. */
    public record Organisation(String name, String apiKey, int organizationId, Set<Integer> userIds) {
    }

    private static final class Download {
        final String id;
        final Organisation organisation;
        final ServiceminderRequest request;
        final long readyAtNanos;
        final long startedNanos = System.nanoTime();
        final AtomicBoolean fetched = new AtomicBoolean();
        volatile long fetchedNanos;

        Download(String id, Organisation organisation, ServiceminderRequest request, long readyAtNanos) {
            this.id = id;
            this.organisation = organisation;
            this.request = request;
            this.readyAtNanos = readyAtNanos;
        }
    }

    private static final CSVFormat CSV = CSVFormat.RFC4180;
    private final ObjectMapper json = new ObjectMapper();
    private final long seed;
    private final Duration readyAfter;
    private final int queueLimit;
    private final long defaultRows;
    private final Map<String, Organisation> organisationsByKey = new ConcurrentHashMap<>();
    private final Map<String, Long> rowCounts = new ConcurrentHashMap<>();
    private final Map<String, Download> downloads = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxQueued = new ConcurrentHashMap<>();
    private final FaultPlan<Fault> faults = new FaultPlan<>();
    private final Map<String, PreparedRows> prepared = new ConcurrentHashMap<>();

    public ServiceminderSandbox(long seed, Duration readyAfter, int queueLimit, long defaultRows) {
        this.seed = seed;
        this.readyAfter = readyAfter;
        this.queueLimit = queueLimit;
        this.defaultRows = defaultRows;
    }

    public ServiceminderSandbox addOrganisation(Organisation organisation) {
        organisationsByKey.put(organisation.apiKey(), organisation);
        return this;
    }

    /** Sets how many rows (before filters) an organisation's Kind holds. */
    public ServiceminderSandbox rows(String organisation, String kind, long rows) {
        rowCounts.put(organisation + "/" + ServiceminderKind.of(kind).orElseThrow().kind(), rows);
        return this;
    }

    /**
     * Renders an organisation's Kind (default settings, no date filters) once, so that its pages are served
     * as slices of bytes: a benchmark then measures the client, not the sandbox's row generator. Call after
     * {@link #rows}.
     */
    public ServiceminderSandbox prepare(String organisation, String kind) {
        ServiceminderRequest request;
        try {
            request = ServiceminderRequest.parse(json.createObjectNode().put("Kind", kind));
        } catch (ServiceminderRequest.Invalid e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        prepared.put(organisation + "/" + request.kind().kind(),
                PreparedRows.render(rowsOf(organisation, request.kind()), request));
        return this;
    }

    /** The next {@code times} answers of {@code endpoint} (startdownload, downloadstatus, getdownload) misbehave. */
    public void inject(String endpoint, Fault fault, int times) {
        faults.inject(endpoint, fault, times);
    }

    /** Calls answered so far per endpoint. */
    /**
     * From the {@code from}-th call of an endpoint on (1 = every call), answer with this fixed body instead: a
     * malformed answer of the bad-input corpus. A known API key is still required.
     */
    public ServiceminderSandbox serve(String endpoint, long from, int status, String contentType, byte[] body) {
        faults.serve(endpoint, from, status, contentType, body);
        return this;
    }

    public long calls(String endpoint) {
        return faults.counted(endpoint);
    }

    /** The most downloads an organisation ever had queued at once. */
    public int maxQueued(String organisation) {
        AtomicInteger max = maxQueued.get(organisation);
        return max == null ? 0 : max.get();
    }

    /**
     * Downloads of the organisation never fetched: a client that dies between startdownload's answer and keeping
     * its DownloadId leaves one in the queue that no cap of the client's counts.
     */
    public long neverFetched(String organisation) {
        return downloads.values().stream().filter(d -> d.organisation.name().equals(organisation) && !d.fetched.get())
                .count();
    }

    /** The most downloads queued at once among those fetched in the end: the ones a client's cap knew of. */
    public int maxQueuedOfFetched(String organisation) {
        List<long[]> changes = new ArrayList<>();
        downloads.values().stream().filter(d -> d.organisation.name().equals(organisation) && d.fetched.get())
                .forEach(d -> {
                    changes.add(new long[] {d.startedNanos, 1});
                    changes.add(new long[] {d.fetchedNanos, -1});
                });
        // a fetch at the same instant as a start goes first
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        int queuedNow = 0;
        int most = 0;
        for (long[] change : changes) {
            queuedNow += (int) change[1];
            most = Math.max(most, queuedNow);
        }
        return most;
    }

    /** Every row a request would return across all its pages, as the CSV records the vendor sends. */
    public List<List<String>> expectedRecords(String organisation, JsonNode payload) throws Exception {
        ServiceminderRequest request = ServiceminderRequest.parse(payload);
        ServiceminderRows rows = rowsOf(organisation, request.kind());
        List<String> columns = request.kind().columns(request.settings());
        List<List<String>> records = new ArrayList<>();
        for (long i = rows.firstIndexAtOrAfter(request.rowId()); i < rows.rowCount(); i++) {
            ServiceminderRows.Row row = rows.row(i);
            if (request.matches(row)) {
                List<String> values = new ArrayList<>(columns.size());
                columns.forEach(column -> values.add(row.value(column)));
                records.add(values);
            }
        }
        return records;
    }

    private ServiceminderRows rowsOf(String organisation, ServiceminderKind kind) {
        long count = rowCounts.getOrDefault(organisation + "/" + kind.kind(), defaultRows);
        return new ServiceminderRows(seed, organisation, kind, count);
    }

    void handle(HttpExchange exchange) throws IOException {
        String endpoint = exchange.getRequestURI().getPath().substring(PATH.length());
        if (!Set.of("startdownload", "downloadstatus", "getdownload").contains(endpoint)) {
            SandboxServer.empty(exchange);
            return;
        }
        faults.count(endpoint);
        if (!"POST".equals(exchange.getRequestMethod())) {
            SandboxServer.send(exchange, 405, "application/json", json.writeValueAsBytes(envelope(INVALID_REQUEST,
                    "The requested resource does not support http method '" + exchange.getRequestMethod() + "'.")));
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            answer(exchange, INVALID_REQUEST, "The request body must be a JSON object.", Map.of());
            return;
        }
        Organisation organisation = organisationsByKey.get(body.path("ApiKey").asText(""));
        if (organisation == null) {
            answer(exchange, INVALID_API_KEY, "Invalid API key.", Map.of());
            return;
        }
        if (faults.answerWithFixture(endpoint, exchange)) {
            return;
        }
        Fault fault = faults.next(endpoint);
        if (fault == Fault.HTTP_500) {
            SandboxServer.send(exchange, 500, "application/json",
                    json.writeValueAsBytes(envelope(99, "An error has occurred. Please try again later.")));
            return;
        }
        if (fault == Fault.TRY_AGAIN) {
            answer(exchange, 99, "An error has occurred. Please try again later.", Map.of());
            return;
        }
        switch (endpoint) {
            case "startdownload" -> start(exchange, organisation, body, fault);
            case "downloadstatus" -> status(exchange, organisation, body, fault);
            default -> get(exchange, organisation, body, fault);
        }
    }

    private void start(HttpExchange exchange, Organisation organisation, JsonNode body, Fault fault)
            throws IOException {
        if (!body.hasNonNull("UserId")) {
            answer(exchange, INVALID_REQUEST, "UserId is required.", Map.of());
            return;
        }
        if (!body.get("UserId").canConvertToInt() || !organisation.userIds().contains(body.get("UserId").asInt())) {
            answer(exchange, INVALID_REQUEST, "User " + body.get("UserId").asText()
                    + " does not exist in this organization or has no permission for Reports.", Map.of());
            return;
        }
        if (body.hasNonNull("OrganizationId") && body.get("OrganizationId").asInt() != organisation.organizationId()) {
            answer(exchange, INVALID_REQUEST, "OrganizationId does not match the API key.", Map.of());
            return;
        }
        ServiceminderRequest request;
        try {
            request = ServiceminderRequest.parse(body);
        } catch (ServiceminderRequest.Invalid e) {
            answer(exchange, INVALID_REQUEST, e.getMessage(), Map.of());
            return;
        }
        AtomicInteger inQueue = queued.computeIfAbsent(organisation.name(), n -> new AtomicInteger());
        if (fault == Fault.QUEUE_FULL || inQueue.incrementAndGet() > queueLimit) {
            if (fault != Fault.QUEUE_FULL) {
                inQueue.decrementAndGet();
            }
            answer(exchange, QUEUE_FULL, "Your organization has reached the maximum of " + queueLimit
                    + " queued downloads. Wait for existing downloads to begin processing before queuing more.",
                    Map.of());
            return;
        }
        maxQueued.computeIfAbsent(organisation.name(), n -> new AtomicInteger()).accumulateAndGet(inQueue.get(), Math::max);
        String id = UUID.randomUUID().toString();
        downloads.put(id, new Download(id, organisation, request, System.nanoTime() + readyAfter.toNanos()));
        answer(exchange, OK, "", Map.of("DownloadId", id));
    }

    private Download download(HttpExchange exchange, Organisation organisation, JsonNode body) throws IOException {
        Download download = downloads.get(body.path("DownloadId").asText(""));
        if (download == null || download.organisation != organisation) {
            answer(exchange, UNKNOWN_DOWNLOAD, "DownloadId '" + body.path("DownloadId").asText("")
                    + "' was not found.", Map.of());
            return null;
        }
        return download;
    }

    private void status(HttpExchange exchange, Organisation organisation, JsonNode body, Fault fault)
            throws IOException {
        Download download = download(exchange, organisation, body);
        if (download != null) {
            answer(exchange, OK, "", Map.of("Ready", fault != Fault.NOT_READY_ONCE
                    && System.nanoTime() >= download.readyAtNanos));
        }
    }

    private void get(HttpExchange exchange, Organisation organisation, JsonNode body, Fault fault)
            throws IOException {
        Download download = download(exchange, organisation, body);
        if (download == null) {
            return;
        }
        if (System.nanoTime() < download.readyAtNanos) {
            answer(exchange, NOT_READY, "Download is not ready yet.", Map.of());
            return;
        }
        if (download.fetched.compareAndSet(false, true)) {
            download.fetchedNanos = System.nanoTime();
            queued.get(organisation.name()).decrementAndGet();
        }
        if (fault == Fault.HTML_PAGE) {
            SandboxServer.send(exchange, 200, "text/html; charset=utf-8", ("<!DOCTYPE html><html><head><title>"
                    + "502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (fault == Fault.EMPTY_BODY) {
            SandboxServer.empty(exchange);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
        if (fault == Fault.CUT_CONNECTION) {
            // announce far more than is sent, then hang up: the client sees a premature end of body
            exchange.sendResponseHeaders(200, 10_000_000);
            OutputStream out = exchange.getResponseBody();
            out.write("Id,FirstName\r\n1001,Zo".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // closing short of the length makes the JDK server drop the connection
            exchange.close();
            return;
        }
        PreparedRows rows = fault == null
                ? prepared.get(download.organisation.name() + "/" + download.request.kind().kind()) : null;
        if (rows != null && rows.serves(download.request)) {
            long rowId = download.request.rowId();
            exchange.sendResponseHeaders(200, rows.length(rowId, PAGE_LIMIT));
            try (OutputStream out = exchange.getResponseBody()) {
                rows.write(out, rowId, PAGE_LIMIT);
            }
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody();
             Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            writePage(writer, download, fault);
        }
    }

    private void writePage(Writer writer, Download download, Fault fault) throws IOException {
        ServiceminderRequest request = download.request;
        ServiceminderRows rows = rowsOf(download.organisation.name(), request.kind());
        List<String> columns = request.kind().columns(request.settings());
        CsvLine line = new CsvLine();
        for (String column : columns) {
            line.field(fault == Fault.NO_ID_COLUMN && column.equals("Id") ? "RecordId" : column);
        }
        writer.append(line.end());
        int written = 0;
        for (long i = rows.firstIndexAtOrAfter(request.rowId()); i < rows.rowCount() && written < PAGE_LIMIT; i++) {
            ServiceminderRows.Row row = rows.row(i);
            if (!request.matches(row)) {
                continue;
            }
            line.clear();
            for (String column : columns) {
                line.field(row.value(column));
            }
            CharSequence record = line.end();
            if (fault == Fault.TRUNCATED_ROW && written == 10) {
                writer.append(record, 0, record.length() / 2);
                writer.flush();
                return;
            }
            writer.append(record);
            written++;
        }
        writer.flush();
    }

    /** An HTTP 200 answer: the envelope plus the call's own fields. */
    private void answer(HttpExchange exchange, int resultCode, String message, Map<String, Object> fields)
            throws IOException {
        Map<String, Object> body = envelope(resultCode, message);
        body.putAll(fields);
        SandboxServer.send(exchange, 200, "application/json; charset=utf-8", json.writeValueAsBytes(body));
    }

    private static Map<String, Object> envelope(int resultCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ResultCode", resultCode);
        body.put("Message", message);
        return body;
    }
}
