package io.reportpipes.sandbox;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sandbox's hand-written datetimes read back as java.time says they should. */
class ServiceminderRowsTest {

    @Test
    void givenAnyInstantOfTheData_thenTheTimestampIsServiceminders() {
        DateTimeFormatter vendor = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long epochSecond = 1_500_000_000L + (long) (random.nextDouble() * 400_000_000L);
            assertEquals(vendor.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)),
                    ServiceminderRows.timestamp(epochSecond));
        }
    }
}
