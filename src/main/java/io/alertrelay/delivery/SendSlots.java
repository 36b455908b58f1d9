package io.alertrelay.delivery;

import io.alertrelay.notify.Channels;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** The delivery's budget stage: each message waits for a slot in its receiver's rate budget before it is sent. */
public class SendSlots {

    private final RateBudgets rateBudgets;
    private final ReceiverLeases leases;
    private final Channels channels;

    SendSlots(RateBudgets rateBudgets, ReceiverLeases leases, Channels channels) {
        this.rateBudgets = rateBudgets;
        this.leases = leases;
        this.channels = channels;
    }

    /**
     * Blocks until the receiver's rate budget has room for one more message, and takes it, as long as
     * this replica keeps the receiver's lease (renewed while it waits); when the lease has passed to
     * another replica, the batch ends here ({@link LeaseLostException}) and that replica carries on.
     */
    public void await(@Body OutgoingMessage message, @ExchangeProperty(Batch.PROPERTY) Batch batch) throws InterruptedException {
        batch.sending(message);
        String receiver = message.receiverName();
        RateLimit limit = channels.rateLimit(message.notification().receiver());
        while (true) {
            if (!leases.hold(receiver)) {
                throw new LeaseLostException(receiver);
            }
            long wait = rateBudgets.tryTake(receiver, limit);
            if (wait == 0) {
                leases.sending(receiver);                   // the send starts: renewed while it lasts
                return;
            }
            // wake to renew the lease while the budget refills
            Thread.sleep(Math.min(wait, leases.renewEveryMillis()));
        }
    }
}
