package io.reportpipes.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumberTextTest {

    @Test
    void givenSeconds_thenOneDecimalWithADot() {
        assertEquals("7.4", NumberText.oneDecimal(7.36));
        assertEquals("0.0", NumberText.oneDecimal(0.04));
        assertEquals("12.0", NumberText.oneDecimal(11.96));
        assertEquals("-0.5", NumberText.oneDecimal(-0.5));
    }

    @Test
    void givenAPageNumber_thenFiveDigits() {
        assertEquals("00001", NumberText.fiveDigits(1));
        assertEquals("00420", NumberText.fiveDigits(420));
        assertEquals("99999", NumberText.fiveDigits(99_999));
        assertEquals("123456", NumberText.fiveDigits(123_456));
    }
}
