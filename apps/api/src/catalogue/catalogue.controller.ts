import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Catalogue,
  type Force,
  type InvestigatingAuthority,
  type OffenceDefinition,
  type Region,
  type UnconfirmedOffence,
} from '#libs/catalogue';
import { Roles, ROLES } from '#libs/auth';
import { ForceResponseDto } from './dto/force-response.dto.js';
import { OffenceResponseDto } from './dto/offence-response.dto.js';
import { RegionResponseDto } from './dto/region-response.dto.js';
import { AuthorityResponseDto } from './dto/authority-response.dto.js';
import { UnconfirmedOffenceResponseDto } from './dto/unconfirmed-offence-response.dto.js';

// Reference data is not personal data: every signed-in role may read it.
@ApiTags('catalogue')
@Controller('catalogue')
@Roles(...ROLES)
export class CatalogueController {
  constructor(private readonly catalogue: Catalogue) {}

  @Get('forces')
  @ApiOperation({
    summary: 'The 43 territorial forces and British Transport Police, with region and source',
  })
  @ApiOkResponse({ type: [ForceResponseDto] })
  forces(): Force[] {
    return this.catalogue.forces();
  }

  @Get('regions')
  @ApiOkResponse({ type: [RegionResponseDto] })
  regions(): Region[] {
    return this.catalogue.regions();
  }

  @Get('offences')
  @ApiOperation({
    summary: 'Home Office offence codes with age/sex constraints, validity dates and sources',
  })
  @ApiOkResponse({ type: [OffenceResponseDto] })
  offences(): OffenceDefinition[] {
    return this.catalogue.offences();
  }

  @Get('unconfirmed-offences')
  @ApiOkResponse({ type: [UnconfirmedOffenceResponseDto] })
  @ApiOperation({
    summary:
      'Offences in law (with commencement) whose Home Office code is not confirmed: not usable on records',
  })
  unconfirmedOffences(): UnconfirmedOffence[] {
    return this.catalogue.unconfirmedOffences();
  }

  @Get('authorities')
  @ApiOkResponse({ type: [AuthorityResponseDto] })
  @ApiOperation({
    summary:
      'Investigating authorities outside the 44 forces a crime can be transferred to (HOCR Section I)',
  })
  authorities(): InvestigatingAuthority[] {
    return this.catalogue.authorities();
  }
}
