package io.reportpipes.sandbox;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The deterministic rows of one organisation's Kind: row {@code i} is computed from (seed, organisation,
 * kind, i) alone, so a page is generated as it streams and a million-row kind is never held in memory.
 * <p>
 * Ids ascend with gaps ({@code Id = 1000 + 3i + (0..2)}), which lets a page start at any {@code RowId}
 * without scanning from the first row. Values include commas, quotes, line breaks and non-ASCII names,
 * so the CSV exercises RFC 4180 quoting and UTF-8.
 */
final class ServiceminderRows {

    private static final long FIRST_CREATED = LocalDateTime.of(2020, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_UPDATED = LocalDateTime.of(2026, 6, 30, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long CREATED_SPAN = LocalDateTime.of(2026, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC)
            - FIRST_CREATED;
    private static final long DAY = 86_400;

    private static final String[] FIRST_NAMES = {"Zoë", "José", "Renée", "Søren", "Łukasz", "Anaïs", "Björn",
        "Chloé", "François", "Nguyễn", "Mia", "Liam", "Olivia", "Noah", "Aiko", "Ольга", "Mateo", "Siobhán"};
    private static final String[] LAST_NAMES = {"Smith", "O'Brien", "García", "Müller", "Nakamura", "Smith, Jr.",
        "Øvergaard", "Kowalski", "Dubois", "Rossi", "Johnson", "Lee", "Wiśniewski", "Peña", "\"Red\" Baker"};
    private static final String[] COMPANIES = {"", "", "\"Best\" Cleaning Co.", "Acme Services, LLC",
        "Château Maids", "Sparkle & Shine", "Nordic Hjem AS"};
    private static final String[] NOTES = {"", "", "", "Gate code 4512", "Beware of dog.\r\nUse the side door",
        "Customer said \"call first\", then text", "Prefers mornings", "Ключ под ковриком",
        "Line one\nline two, with a comma"};
    private static final String[] CITIES = {"Springfield", "Portland", "Zürich", "Québec", "Austin", "Fargo"};
    private static final String[] STATES = {"IL", "OR", "ZH", "QC", "TX", "ND"};
    private static final String[] SERVICES = {"Standard Clean", "Deep Clean", "Move-out Clean",
        "Window Washing", "Carpet, Rug & Upholstery", "Lawn Care"};
    private static final String[] TECHNICIANS = {"Ana Ruiz", "Bo Chen", "Cleo Adams", "Dário Souza", "Eve Moss"};
    private static final String[] METHODS = {"Card", "Cash", "Check", "ACH"};
    private static final String[] CHANNELS = {"Google Ads", "Facebook", "Referral", "Direct Mail", "Yelp"};

    private final long kindSeed;
    private final long rowCount;
    private final ServiceminderKind kind;

    ServiceminderRows(long seed, String organisation, ServiceminderKind kind, long rowCount) {
        this.kindSeed = mix(seed ^ mix(organisation.hashCode()) ^ mix(kind.ordinal() + 17L));
        this.rowCount = rowCount;
        this.kind = kind;
    }

    long rowCount() {
        return rowCount;
    }

    long id(long index) {
        return 1000 + 3 * index + Math.floorMod(mix(kindSeed + index), 3);
    }

    /** The index of the first row whose Id is at least {@code rowId}. */
    long firstIndexAtOrAfter(long rowId) {
        long index = Math.max(0, (rowId - 1000) / 3 - 1);
        while (index < rowCount && id(index) < rowId) {
            index++;
        }
        return Math.min(index, rowCount);
    }

    Row row(long index) {
        return new Row(index);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static String pick(String[] values, long bits) {
        return values[(int) Math.floorMod(bits, values.length)];
    }

    // hand-written number and date formatting: String.format and DateTimeFormatter were most of a page's cost

    private static String money(long cents) {
        return (cents / 100) + (cents % 100 < 10 ? ".0" : ".") + (cents % 100);
    }

    /** {@code value} with leading zeros to {@code width} digits. */
    private static String padded(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /** MM/dd/yyyy HH:mm:ss, serviceminder's datetimes, in UTC. */
    static String timestamp(long epochSecond) {
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, DAY));
        int second = (int) Math.floorMod(epochSecond, DAY);
        char[] text = new char[19];
        two(text, 0, day.getMonthValue());
        text[2] = '/';
        two(text, 3, day.getDayOfMonth());
        text[5] = '/';
        two(text, 6, day.getYear() / 100);
        two(text, 8, day.getYear() % 100);
        text[10] = ' ';
        two(text, 11, second / 3600);
        text[13] = ':';
        two(text, 14, second / 60 % 60);
        text[16] = ':';
        two(text, 17, second % 60);
        return new String(text);
    }

    private static void two(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }

    /** One row: its dates and flags, and its values for a column list. */
    final class Row {
        final long index;
        final long id;
        final long h1;
        final long h2;
        final long created;
        final long updated;
        final long date;
        /** The 10 % sort that a row setting filters: without email, cancelled, refunded, voided, … */
        final boolean flagged;
        final boolean done;

        private Row(long index) {
            this.index = index;
            this.id = id(index);
            this.h1 = mix(kindSeed ^ (index * 0x9E3779B97F4A7C15L));
            this.h2 = mix(h1);
            long step = Math.max(1, CREATED_SPAN / Math.max(1, rowCount));
            this.created = FIRST_CREATED + index * CREATED_SPAN / Math.max(1, rowCount) + Math.floorMod(h1, step);
            this.updated = Math.min(LAST_UPDATED, created + Math.floorMod(h2, 400 * DAY));
            this.date = created + Math.floorMod(h1 >>> 20, 60 * DAY);
            this.flagged = Math.floorMod(h2 >>> 8, 10) == 0;
            this.done = !flagged && Math.floorMod(h2 >>> 16, 3) != 0;
        }

        /** Completion date, or -1 when the row is not completed (or the kind has none). */
        long completed() {
            return kind.hasCompletedDate() && done ? date + 3600 + Math.floorMod(h1 >>> 40, 3 * DAY) : -1;
        }

        boolean includedBy(Map<String, Boolean> settings) {
            return switch (kind) {
                case CONTACTS -> flagged ? settings.get("WithoutEmails") : settings.get("WithEmails");
                case APPOINTMENTS -> !flagged || settings.get("IncludeCancelled");
                case DEPOSITS -> !flagged || settings.get("IncludeRefunded");
                case INVOICES -> (!flagged || settings.get("IncludeVoided"))
                        && (!settings.get("OnlyUnpaid") || balanceCents() > 0);
                case INVOICE_LINES -> !flagged || settings.get("IncludeVoided");
                case PROPOSALS -> !flagged || settings.get("IncludeDeclined");
                case SERVICES -> done || settings.get("IncludeIncomplete");
                case CAMPAIGN_BUDGETS -> !flagged || settings.get("IncludeArchived");
                case CHANNELS_CAMPAIGNS -> !flagged || settings.get("IncludeInactive");
                case REVENUE_FORECASTS -> true;
            };
        }

        private long amountCents() {
            return 2_000 + Math.floorMod(h2 >>> 24, 250_000);
        }

        private long balanceCents() {
            return flagged || done ? 0 : amountCents() / (1 + Math.floorMod(h1 >>> 12, 3));
        }

        private String contactName() {
            return pick(FIRST_NAMES, h1 >>> 3) + " " + pick(LAST_NAMES, h1 >>> 9);
        }

        private String status(String doneStatus, String flaggedStatus, String openStatus) {
            return flagged ? flaggedStatus : done ? doneStatus : openStatus;
        }

        String value(String column) {
            long completed = completed();
            return switch (column) {
                case "Id" -> Long.toString(id);
                case "CreatedDate" -> timestamp(created);
                case "UpdatedDate" -> timestamp(updated);
                case "CompletedDate", "PaidDate", "AcceptedDate" -> completed < 0 ? "" : timestamp(completed);
                case "AppointmentDate", "DepositDate", "InvoiceDate", "ProposalDate", "ServiceDate", "StartDate" ->
                        timestamp(date);
                case "DueDate" -> timestamp(date + 30 * DAY);
                case "FirstName" -> pick(FIRST_NAMES, h1 >>> 3);
                case "LastName" -> pick(LAST_NAMES, h1 >>> 9);
                case "ContactName" -> contactName();
                case "ContactId" -> Long.toString(1000 + Math.floorMod(h2 >>> 4, 900_000));
                case "InvoiceId" -> Long.toString(5000 + Math.floorMod(h2 >>> 6, 900_000));
                case "Company" -> pick(COMPANIES, h2 >>> 30);
                case "Email" -> flagged ? "" : "customer" + id + "@example.com";
                case "Phone" -> "(555) " + padded(Math.floorMod(h1 >>> 14, 1000), 3) + "-"
                        + padded(Math.floorMod(h1 >>> 24, 10_000), 4);
                case "Address" -> (1 + Math.floorMod(h2 >>> 36, 9999)) + " Main St, Apt " + (1 + index % 40);
                case "City" -> pick(CITIES, h2 >>> 44);
                case "State" -> pick(STATES, h2 >>> 44);
                case "PostalCode" -> padded(Math.floorMod(h1 >>> 28, 100_000), 5);
                case "Notes", "Description" -> pick(NOTES, h2 >>> 50);
                case "ServiceType", "Service", "Item" -> pick(SERVICES, h1 >>> 33);
                case "Technician" -> pick(TECHNICIANS, h1 >>> 37);
                case "Status" -> switch (kind) {
                    case APPOINTMENTS -> status("Completed", "Cancelled", "Scheduled");
                    case INVOICES -> flagged ? "Voided" : balanceCents() > 0 ? "Open" : "Paid";
                    case PROPOSALS -> status("Accepted", "Declined", "Open");
                    default -> status("Completed", "Completed", "In Progress");
                };
                case "DurationMinutes" -> Long.toString(30 + 15 * Math.floorMod(h1 >>> 41, 12));
                case "Amount", "Total", "Forecast", "Budget", "Cost" -> money(amountCents());
                case "Subtotal" -> money(amountCents() * 100 / 108);
                case "Tax" -> money(amountCents() - amountCents() * 100 / 108);
                case "Balance" -> money(balanceCents());
                case "Actual", "Spent" -> money(amountCents() * (80 + Math.floorMod(h1 >>> 45, 40)) / 100);
                case "Method" -> pick(METHODS, h1 >>> 17);
                case "Refunded", "Voided", "Archived" -> flagged ? "true" : "false";
                case "Active" -> flagged ? "false" : "true";
                case "Reference" -> "DEP-" + id;
                case "Number" -> (kind == ServiceminderKind.INVOICES ? "INV-" : "PRO-") + id;
                case "LineNumber" -> Long.toString(1 + index % 5);
                case "Quantity" -> Long.toString(1 + Math.floorMod(h1 >>> 50, 4));
                case "UnitPrice" -> money(amountCents() / 4);
                case "Title" -> pick(SERVICES, h1 >>> 33) + " proposal for " + contactName();
                case "Campaign" -> "Spring " + (2020 + Math.floorMod(h1 >>> 21, 6)) + ", " + pick(CHANNELS, h1 >>> 5);
                case "Channel" -> pick(CHANNELS, h1 >>> 5);
                case "BudgetMonth", "Period" -> timestamp(date).substring(0, 2) + "/" + timestamp(date).substring(6, 10);
                case "Leads" -> Long.toString(Math.floorMod(h2 >>> 18, 500));
                case "CustomField1" -> "Source: " + pick(CHANNELS, h2 >>> 22);
                case "CustomField2" -> Math.floorMod(h2 >>> 26, 2) == 0 ? "" : "VIP";
                default -> throw new IllegalArgumentException("no generator for column " + column);
            };
        }
    }
}
