package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;
import org.apache.camel.CamelExecutionException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a failed exchange's exception becomes the reason users see and the retry decision. */
class DeliveryOutcomeClassifyTest {

    @Test
    void thePlatformsVerdictIsFoundAnywhereInTheCauses() {
        DeliveryFailedException verdict = new DeliveryFailedException(FailureReason.AUTH_ERROR, "errcode 310000 sign not match");
        Throwable wrapped = new CamelExecutionException("exchange failed", null,
                new RuntimeException("route", new IllegalStateException("bean", verdict)));

        DeliveryFailedException classified = DeliveryOutcome.classify(wrapped);

        assertThat(classified).isSameAs(verdict);
        assertThat(classified.reason()).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(classified.isRetryable()).isFalse();
        assertThat(DeliveryOutcome.classify(verdict)).isSameAs(verdict);
    }

    @Test
    void theVerdictWinsOverAnUnrelatedOuterException() {
        DeliveryFailedException verdict = new DeliveryFailedException(FailureReason.RATE_LIMITED, "errcode 130101");
        assertThat(DeliveryOutcome.classify(new UncheckedIOException(new IOException("io", verdict))).reason())
                .isEqualTo(FailureReason.RATE_LIMITED);
    }

    static Stream<Arguments> transportFailures() {
        return Stream.of(
                Arguments.of(new SocketTimeoutException("Read timed out"), FailureReason.TIMEOUT),
                Arguments.of(new RuntimeException(new SocketTimeoutException("Read timed out")), FailureReason.TIMEOUT),
                Arguments.of(new ConnectTimeoutException("Connect to bot.example:443 timed out"), FailureReason.TIMEOUT),
                Arguments.of(new ConnectionRequestTimeoutException("no connection from the pool"), FailureReason.TIMEOUT),
                Arguments.of(new ConnectException("Connection refused"), FailureReason.SERVER_ERROR),
                Arguments.of(new HttpHostConnectException("Connect to bot.example:443 failed: Connection refused"),
                        FailureReason.SERVER_ERROR),
                Arguments.of(new RuntimeException("route", new ConnectException("Connection refused")), FailureReason.SERVER_ERROR),
                Arguments.of(new IOException("Connection reset"), FailureReason.SERVER_ERROR),
                Arguments.of(new IllegalStateException("anything else"), FailureReason.SERVER_ERROR));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("transportFailures")
    void transportFailuresAreRetryable(Throwable failure, FailureReason expected) {
        DeliveryFailedException classified = DeliveryOutcome.classify(failure);
        assertThat(classified.reason()).isEqualTo(expected);
        assertThat(classified.isRetryable()).isTrue();
        assertThat(classified.getMessage()).startsWith(expected.label() + ": ");
        if (failure.getCause() == null) {
            // the detail names what happened
            assertThat(classified.getMessage()).contains(failure.getMessage());
        }
    }

    @Test
    void noExceptionAtAllIsAnUnknownServerError() {
        DeliveryFailedException classified = DeliveryOutcome.classify(null);
        assertThat(classified.reason()).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(classified.getMessage()).isEqualTo("serverError: unknown");
    }

    @Test
    void aTemplateThatFailsWhileRenderingIsNotRetried() {
        DeliveryFailedException failure = DeliveryOutcome.classify(new RuntimeException("render",
                new io.alertrelay.template.TemplateException("mine.json.vm: method failed", new IllegalStateException())));
        org.assertj.core.api.Assertions.assertThat(failure.reason()).isEqualTo(io.alertrelay.notify.FailureReason.CLIENT_ERROR);
        org.assertj.core.api.Assertions.assertThat(failure.isRetryable()).isFalse();
    }
}
