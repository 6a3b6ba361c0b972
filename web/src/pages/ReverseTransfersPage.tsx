// Reverse transfers: cases sent back to an agency for an administrative penalty;
// a procurator starts one from a decision not to prosecute here.
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { REVERSE_STATES } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { InstanceList } from '../components/InstanceList';

export default function ReverseTransfersPage() {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  return (
    <InstanceList
      workflow="reverse-transfer"
      title={t('reverse.title')}
      states={REVERSE_STATES}
      empty={t('reverse.empty')}
      extra={
        hasRole('procurator') && (
          <Button type="primary" onClick={() => void navigate('/reverse-transfers/new')}>
            {t('reverse.start')}
          </Button>
        )
      }
    />
  );
}
