package io.reportpipes.crewmojo;

import io.reportpipes.jobs.Job;
import io.reportpipes.jobs.JobSettings;
import io.reportpipes.jobs.KameletSource;

import java.util.List;
import java.util.Map;

/** The job of the {@code crewmojo-report-source} Kamelet: one report of one API client. */
public final class CrewmojoSource extends KameletSource {

    private String client;
    private String clientId;
    private String clientSecret;
    private String report;
    private String window;
    private String startDate;
    private String endDate;
    private String contentType;

    public void setClient(String client) {
        this.client = client;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public void setReport(String report) {
        this.report = report;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public void setStartDate(String startDate) {
        this.startDate = startDate;
    }

    public void setEndDate(String endDate) {
        this.endDate = endDate;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    @Override
    protected String kamelet() {
        return "crewmojo-report-source";
    }

    @Override
    protected String prefix() {
        return CrewmojoJobs.PREFIX;
    }

    @Override
    protected String account() {
        return blankToEmpty(client);
    }

    @Override
    protected String baseUrlKey() {
        return "crewmojo.base-url";
    }

    @Override
    protected void describe(Map<String, String> values, String base) {
        String reportBase = base + blankToEmpty(report) + ".";
        values.put("crewmojo.clients", account());
        values.put(base + "client-id", blankToEmpty(clientId));
        values.put(base + "client-secret", blankToEmpty(clientSecret));
        values.put(base + "reports", blankToEmpty(report));
        values.put(reportBase + "window", blankToEmpty(window));
        values.put(reportBase + "start-date", blankToEmpty(startDate));
        values.put(reportBase + "end-date", blankToEmpty(endDate));
        values.put(reportBase + "content-type", blankToEmpty(contentType));
    }

    @Override
    protected List<? extends Job> load(JobSettings settings, boolean sandbox) {
        return CrewmojoJobs.load(settings, sandbox);
    }
}
