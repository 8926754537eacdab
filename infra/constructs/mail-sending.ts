import * as events from 'aws-cdk-lib/aws-events';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { AppFunction } from './app-function.js';
import { grantSendMail } from './data-access.js';

/**
 * The SES configuration set every mail we send goes through (SendEmail's ConfigurationSetName, from
 * SES_CONFIGURATION_SET). Bounces and complaints are published to the account's default event bus, the only bus
 * SES's EventBridge destination writes to, as `aws.ses` events ("Email Bounced", "Email Complaint Received").
 *
 * What remains: nothing consumes those events yet. Noting a bounced kvittens on its handling (so the kansli
 * sees that the sender never got it) and alarming on the account's bounce and complaint rates are future work.
 */
export class MailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // Transactional mail to a few senders: a hard bounce or complaint should still be visible, not suppressed.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.eventBus(
        events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      ),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
  }

  /** SES checks both the identity and the configuration set a SendEmail names. */
  grantSend(fn: AppFunction, domain: string): void {
    grantSendMail(fn, domain, this.configurationSet.configurationSetName);
  }

  /** The function's environment entry naming the configuration set. */
  get environment(): Record<string, string> {
    return { SES_CONFIGURATION_SET: this.configurationSet.configurationSetName };
  }
}
