import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '../common/problem';
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from '../workflow-engine/machine-registry';
import { describeMachine, toMermaid } from '../workflow-engine/mermaid';

const WORKFLOWS = { referral: () => referralMachineFor(CURRENT_REFERRAL_VERSION) };

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api/v1/workflows')
export class WorkflowsController {
  @Get()
  list() {
    return {
      items: Object.entries(WORKFLOWS).map(([name, machine]) => ({
        name,
        version: machine().version,
        ...describeMachine(machine()),
      })),
    };
  }

  @Get(':name/diagram')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  diagram(@Param('name') name: string) {
    const machine = WORKFLOWS[name as keyof typeof WORKFLOWS];
    if (!machine) throw notFound('Workflow');
    return toMermaid(machine());
  }
}
