package io.reportpipes.serviceminder;

import io.reportpipes.jobs.Job;
import io.reportpipes.jobs.JobSettings;
import io.reportpipes.jobs.KameletSource;

import java.util.List;
import java.util.Map;

/**
 * The job of the {@code serviceminder-download-source} Kamelet: one organisation's Kind.
 * {@code filters} are the Kind's date filters and settings as {@code Name=value} pairs separated by
 * {@code ;}, e.g. {@code CreatedFrom=01/01/2024 00:00:00;Contacts.WithEmails=true}.
 */
public final class ServiceminderSource extends KameletSource {

    private String organisation;
    private String apiKey;
    private String userId;
    private String kind;
    private String filters;
    private String load;

    public void setOrganisation(String organisation) {
        this.organisation = organisation;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public void setFilters(String filters) {
        this.filters = filters;
    }

    public void setLoad(String load) {
        this.load = load;
    }

    @Override
    protected String kamelet() {
        return "serviceminder-download-source";
    }

    @Override
    protected String prefix() {
        return ServiceminderJobs.PREFIX;
    }

    @Override
    protected String account() {
        return blankToEmpty(organisation);
    }

    @Override
    protected String baseUrlKey() {
        return "serviceminder.base-url";
    }

    @Override
    protected void describe(Map<String, String> values, String base) {
        values.put("serviceminder.organisations", account());
        values.put(base + "api-key", blankToEmpty(apiKey));
        values.put(base + "user-id", blankToEmpty(userId));
        values.put(base + "kinds", blankToEmpty(kind));
        values.put(base + "load", blankToEmpty(load));
        for (String pair : JobSettings.list(blankToEmpty(filters).replace(';', ','))) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals).trim();
            values.put(base + blankToEmpty(kind) + "." + name, equals < 0 ? "" : pair.substring(equals + 1).trim());
        }
    }

    @Override
    protected List<? extends Job> load(JobSettings settings, boolean sandbox) {
        return ServiceminderJobs.load(settings, sandbox);
    }
}
