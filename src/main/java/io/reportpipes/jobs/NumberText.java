package io.reportpipes.jobs;

/**
 * Numbers as the keys and log lines write them, on every page and job: String.format parses its pattern
 * each call, which measured 3 % of the fan-out benchmark's CPU.
 */
public final class NumberText {

    private NumberText() {
    }

    /** 7.36 as "7.4" (always a dot, whatever the locale). */
    public static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
    }

    /** 7 as "00007"; five digits or more as they are. */
    public static String fiveDigits(int value) {
        String digits = Integer.toString(value);
        return digits.length() >= 5 ? digits : "00000".substring(digits.length()) + digits;
    }
}
