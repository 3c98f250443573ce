// Every migration, in order. Listed by hand (not globbed) so ts-node, jest and the compiled build
// load the same set; `npm run migration:generate` prints a reminder to add the new class here.

import { Foundation1795628515648 } from './1795628515648-Foundation';
import { Activity1795632000000 } from './1795632000000-Activity';
import { Scoring1795635000000 } from './1795635000000-Scoring';
import { Campaigns1795640000000 } from './1795640000000-Campaigns';
import { Claims1795645000000 } from './1795645000000-Claims';
import { Erasure1795650000000 } from './1795650000000-Erasure';
import { JobOutbox1795655000000 } from './1795655000000-JobOutbox';
import { MatchingOptOutIndex1795660000000 } from './1795660000000-MatchingOptOutIndex';
import { AccountOwnership1795665000000 } from './1795665000000-AccountOwnership';
import { AudienceQuality1795670000000 } from './1795670000000-AudienceQuality';
import { InstanceId1795675000000 } from './1795675000000-InstanceId';
import { CapsAndBudgets1795680000000 } from './1795680000000-CapsAndBudgets';
import { Webhooks1795685000000 } from './1795685000000-Webhooks';
import { ClaimsLedger1795690000000 } from './1795690000000-ClaimsLedger';
import { OwnData1795697000000 } from './1795697000000-OwnData';
import { Notifications1795700000000 } from './1795700000000-Notifications';
import { OutreachActivity1795705000000 } from './1795705000000-OutreachActivity';
import { EmailNotifications1795710000000 } from './1795710000000-EmailNotifications';
import { ScoreRunProgress1795712000000 } from './1795712000000-ScoreRunProgress';

export const migrations: Function[] = [
  Foundation1795628515648,
  Activity1795632000000,
  Scoring1795635000000,
  Campaigns1795640000000,
  Claims1795645000000,
  Erasure1795650000000,
  JobOutbox1795655000000,
  MatchingOptOutIndex1795660000000,
  AccountOwnership1795665000000,
  AudienceQuality1795670000000,
  InstanceId1795675000000,
  CapsAndBudgets1795680000000,
  Webhooks1795685000000,
  ClaimsLedger1795690000000,
  OwnData1795697000000,
  Notifications1795700000000,
  OutreachActivity1795705000000,
  EmailNotifications1795710000000,
  ScoreRunProgress1795712000000,
];
