// The register of administrative cases (行政处罚案件台账): list, record, import.
import { CaseRegister } from '../components/CaseRegister';

export default function AdminCasesPage() {
  return <CaseRegister />;
}
