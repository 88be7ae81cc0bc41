package io.reportpipes.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ten Kinds of serviceminder's Download API as the sandbox serves them: each with its own columns,
 * its per-kind settings object (e.g. {@code Contacts}) and the dates its filters apply to.
 * <p>
 * Settings are booleans. A {@code With…}/{@code Include…} row setting defaults to true (rows of that
 * sort are included), a column setting defaults to false, {@code OnlyUnpaid} defaults to false.
 */
public enum ServiceminderKind {

    CONTACTS("contacts", "Contacts", false,
            List.of("Id", "FirstName", "LastName", "Company", "Email", "Phone", "Address", "City", "State",
                    "PostalCode", "Notes", "CreatedDate", "UpdatedDate"),
            Map.of("WithEmails", true, "WithoutEmails", true, "IncludeCustomFields", false)),
    APPOINTMENTS("appointments", "Appointments", true,
            List.of("Id", "ContactId", "ContactName", "ServiceType", "Technician", "AppointmentDate", "Status",
                    "DurationMinutes", "Notes", "CreatedDate", "UpdatedDate", "CompletedDate"),
            Map.of("IncludeCancelled", true)),
    DEPOSITS("deposits", "Deposits", false,
            List.of("Id", "InvoiceId", "ContactId", "ContactName", "Amount", "Method", "DepositDate", "Refunded",
                    "Reference", "CreatedDate", "UpdatedDate"),
            Map.of("IncludeRefunded", true)),
    INVOICES("invoices", "Invoices", true,
            List.of("Id", "Number", "ContactId", "ContactName", "InvoiceDate", "DueDate", "Subtotal", "Tax",
                    "Total", "Balance", "Status", "CreatedDate", "UpdatedDate", "PaidDate"),
            Map.of("IncludeVoided", true, "OnlyUnpaid", false)),
    INVOICE_LINES("invoicelines", "InvoiceLines", false,
            List.of("Id", "InvoiceId", "LineNumber", "Item", "Description", "Quantity", "UnitPrice", "Amount",
                    "Voided", "InvoiceDate", "CreatedDate", "UpdatedDate"),
            Map.of("IncludeVoided", true)),
    PROPOSALS("proposals", "Proposals", true,
            List.of("Id", "Number", "ContactId", "ContactName", "ProposalDate", "Title", "Amount", "Status",
                    "CreatedDate", "UpdatedDate", "AcceptedDate"),
            Map.of("IncludeDeclined", true)),
    SERVICES("services", "Services", true,
            List.of("Id", "ContactId", "ContactName", "Service", "ServiceDate", "Technician", "Amount", "Status",
                    "Notes", "CreatedDate", "UpdatedDate", "CompletedDate"),
            Map.of("IncludeIncomplete", true)),
    CAMPAIGN_BUDGETS("campaignbudgets", "CampaignBudgets", false,
            List.of("Id", "Campaign", "Channel", "BudgetMonth", "Budget", "Spent", "Archived", "CreatedDate",
                    "UpdatedDate"),
            Map.of("IncludeArchived", true)),
    REVENUE_FORECASTS("revenueforecasts", "RevenueForecasts", false,
            List.of("Id", "Period", "ServiceType", "Forecast", "CreatedDate", "UpdatedDate"),
            Map.of("IncludeActuals", true)),
    CHANNELS_CAMPAIGNS("channelscampaigns", "ChannelsCampaigns", false,
            List.of("Id", "Channel", "Campaign", "Active", "Leads", "Cost", "StartDate", "CreatedDate",
                    "UpdatedDate"),
            Map.of("IncludeInactive", true));

    private final String kind;
    private final String settingsObject;
    private final boolean hasCompletedDate;
    private final List<String> baseColumns;
    private final Map<String, Boolean> settingDefaults;

    ServiceminderKind(String kind, String settingsObject, boolean hasCompletedDate, List<String> baseColumns,
                      Map<String, Boolean> settingDefaults) {
        this.kind = kind;
        this.settingsObject = settingsObject;
        this.hasCompletedDate = hasCompletedDate;
        this.baseColumns = baseColumns;
        this.settingDefaults = settingDefaults;
    }

    /** The {@code Kind} value of the payload, lower case as in the vendor's example. */
    public String kind() {
        return kind;
    }

    /** The name of this kind's settings object in the payload, e.g. {@code Contacts}. */
    public String settingsObject() {
        return settingsObject;
    }

    /** Whether {@code CompletedBefore}/{@code CompletedAfter} apply to this kind. */
    public boolean hasCompletedDate() {
        return hasCompletedDate;
    }

    public Map<String, Boolean> settingDefaults() {
        return settingDefaults;
    }

    /** The CSV header for these settings: some settings add columns. */
    public List<String> columns(Map<String, Boolean> settings) {
        List<String> columns = new ArrayList<>(baseColumns);
        if (this == CONTACTS && settings.getOrDefault("IncludeCustomFields", false)) {
            columns.addAll(List.of("CustomField1", "CustomField2"));
        }
        if (this == REVENUE_FORECASTS && settings.getOrDefault("IncludeActuals", true)) {
            columns.add(4, "Actual");
        }
        return columns;
    }

    /** Looks a Kind up as the vendor does: case-insensitively. */
    public static Optional<ServiceminderKind> of(String kind) {
        if (kind == null) {
            return Optional.empty();
        }
        String wanted = kind.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.kind.equals(wanted)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ServiceminderKind::kind).toList();
    }
}
