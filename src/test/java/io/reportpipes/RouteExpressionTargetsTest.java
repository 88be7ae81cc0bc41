package io.reportpipes;

import io.reportpipes.crewmojo.CrewmojoJob;
import io.reportpipes.crewmojo.CrewmojoRun;
import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.Backfill;
import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderRun;
import org.apache.camel.component.bean.BeanInfo;
import org.apache.camel.component.bean.MethodInfo;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The objects the routes' simple expressions call into ({@code ${exchangeProperty.jobRun.ready}},
 * {@code ${body.id()}}, ...) have no method Camel would bind from the exchange: a parameter of type Exception,
 * Exchange, Message, CamelContext, ... or with a Camel annotation. Camel caches the bean info of such a class
 * per instance, so every new run would be introspected anew on each expression (measured: 25 µs an
 * expression, a quarter of a small job's routing CPU).
 */
class RouteExpressionTargetsTest {

    @Test
    void theObjectsRoutesNavigateAreIntrospectedOncePerClass() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            for (Class<?> type : List.of(ServiceminderRun.class, CrewmojoRun.class, ServiceminderJob.class,
                    CrewmojoJob.class, Transform.class, Backfill.Plan.class)) {
                List<String> bound = new BeanInfo(context, type).getMethods().stream()
                        .filter(m -> m.hasCustomAnnotation() || m.hasHandlerAnnotation())
                        .map(MethodInfo::getMethod).map(Object::toString).toList();
                assertEquals(List.of(), bound, type.getSimpleName() + " has methods Camel binds from the exchange;"
                        + " give them other parameter types (or move them to a bean)");
            }
        }
    }
}
