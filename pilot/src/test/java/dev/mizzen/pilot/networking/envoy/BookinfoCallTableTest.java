package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.Message;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.simulation.BookinfoCalls;
import dev.mizzen.pilot.testing.simulation.Outcome;
import dev.mizzen.pilot.testing.simulation.Result;
import dev.mizzen.pilot.testing.simulation.Simulation;
import dev.mizzen.pilot.testing.simulation.TableCall;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.XdsResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our simulation over the config generated for pilot's Bookinfo registry answers every row of
 * {@link BookinfoCalls}, the table Istio's own simulation is held to over what a running istiod serves
 * (IstioSimulationTest in the it module).
 */
class BookinfoCallTableTest {

    static List<TableCall> rows() {
        return BookinfoCalls.all();
    }

    @Test
    void theTableHasAtLeastFortyCallsOverBothProxies() {
        assertThat(rows()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(rows()).extracting(TableCall::proxy).containsOnly(TableCall.ProxyKind.values());
        assertThat(rows()).extracting(TableCall::name).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void ourSimulationAnswersTheRow(TableCall row) {
        Proxy proxy = row.proxy() == TableCall.ProxyKind.PRODUCTPAGE_SIDECAR ? EnvoyGeneratorTest.PRODUCTPAGE
                : EnvoyGeneratorTest.GATEWAY;
        PushSnapshot push = EnvoyGeneratorTest.push(row.samples().toArray(String[]::new));
        EnvoyConfig config = EnvoyConfig.of(proxy, push);
        Simulation sim = Simulation.of(unpacked(config));
        assertThat(sim.configErrors()).as("config Envoy would refuse").isEmpty();
        TableCall.Addresses addresses = new TableCall.Addresses() {
            @Override
            public String serviceVip(String service) {
                return push.context().service(service + "." + proxy.namespace() + ".svc.cluster.local")
                        .orElseThrow().clusterIp();
            }

            @Override
            public String proxyIp() {
                return proxy.ipAddresses().get(0);
            }
        };
        Result result = sim.call(row.request(addresses));
        assertThat(row.expected().mismatches(Outcome.of(result))).as(result.describe()).isEmpty();
    }

    private static List<Message> unpacked(EnvoyConfig config) {
        List<Message> out = new ArrayList<>();
        for (List<XdsResource> list : List.of(config.clusters(), config.listeners(), config.routes(), config.endpoints())) {
            list.forEach(r -> out.add(r.body()));
        }
        return out;
    }
}
