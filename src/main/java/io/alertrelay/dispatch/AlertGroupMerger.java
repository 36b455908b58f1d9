package io.alertrelay.dispatch;

import io.alertrelay.alert.AlertGroup;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** The group window's aggregation strategy: copies of one group merge into one (see {@link AlertGroup#merge}). */
public class AlertGroupMerger implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange merged, Exchange copy) {
        if (merged == null) {
            return copy;
        }
        AlertGroup into = merged.getMessage().getBody(AlertGroup.class);
        merged.getMessage().setBody(into.merge(copy.getMessage().getBody(AlertGroup.class)));
        return merged;
    }
}
