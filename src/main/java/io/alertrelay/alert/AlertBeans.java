package io.alertrelay.alert;

import io.alertrelay.RelayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AlertBeans {

    /** The size bounds every source and the store apply (relay.limits.*). */
    @Bean
    AlertLimits alertLimits(RelayProperties properties) {
        RelayProperties.Limits l = properties.getLimits();
        return new AlertLimits(l.getMaxLabelValueLength(), l.getMaxAnnotationValueLength(), l.getMaxLabelsPerAlert(),
                l.getMaxNameLength(), l.getMaxAlertChars(), l.getMaxAlertsPerRequest(), l.getMaxAlertsPerGroup(), l.getMaxGroupChars(),
                l.getMaxKeyLength(), l.getMaxUrlLength());
    }
}
