// The procuratorate's screening list (线索筛查): the region's cases that meet or
// nearly meet a rule, most serious first, with the reasons.
import { CaseRegister } from '../components/CaseRegister';

export default function ScreeningPage() {
  return <CaseRegister screening />;
}
