package io.reportpipes.delivery;

import io.reportpipes.jobs.JobRun;
import org.apache.camel.ExchangeProperty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Cuts a json-records page (one JSON object per line on disk) into messages of the transform's
 * batch size, each a JSON array (with batch-size 1, the record's object itself), read lazily: the
 * splitter holds one batch at a time.
 */
public final class RecordBatches {

    /** One message: its number in the page (from 1), its JSON array and how many records it holds. */
    public record Batch(int number, String json, int rows) {
    }

    public Iterator<Batch> batches(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        BufferedReader reader = Files.newBufferedReader(run.getPageFile(), StandardCharsets.UTF_8);
        int size = run.getTransform().batchSize();
        return new Iterator<>() {
            private String next = read();
            private int number;

            private String read() {
                try {
                    String line = reader.readLine();
                    if (line == null) {
                        reader.close();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Batch next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                // a JSON object on one line holds no raw line break, so lines join safely into an array
                StringBuilder json = new StringBuilder("[");
                int rows = 0;
                while (next != null && rows < size) {
                    json.append(rows == 0 ? "" : ",").append(next);
                    rows++;
                    next = read();
                }
                String body = size == 1 ? json.substring(1) : json.append(']').toString();
                return new Batch(++number, body, rows);
            }
        };
    }
}
