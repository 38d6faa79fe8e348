/** JMH microbenchmarks of the data path, routing and codecs. */
package io.vpncloud.bench;
